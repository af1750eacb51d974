import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('accepts an empty environment and trims values', () => {
    expect(parseEnv({})).toEqual({});
    expect(parseEnv({ PROMETHEUS_URL: ' http://127.0.0.1:9090 ' }).PROMETHEUS_URL).toBe(
      'http://127.0.0.1:9090',
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ PROMETHEUS_URL: 'localhost:9090' })).toThrow(
      /PROMETHEUS_URL: PROMETHEUS_URL must be/,
    );
    expect(() => parseEnv({ JUDGE_TOKEN: 'short' })).toThrow(/JUDGE_TOKEN: .*at least 16/);
  });
});
