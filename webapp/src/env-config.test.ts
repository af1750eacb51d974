import { describe, expect, it } from 'vitest';
import { describeEnvIssues, parseEnv } from './env-config.js';

describe('parseEnv', () => {
  it('has defaults', () => {
    const result = parseEnv({});
    expect(result).toMatchObject({
      ok: true,
      config: {
        VERSION: 'v1.0',
        PORT: 8080,
        HOST: '0.0.0.0',
        WARMUP_MS: 1000,
        FAULT_ERROR_RATE: 0,
        FAULT_LATENCY_MS: 0,
        FAULT_LATENCY_JITTER_MS: 0,
        FAULTS_POLL_MS: 500,
        SHUTDOWN_DELAY_MS: 0,
        SHUTDOWN_TIMEOUT_MS: 10000,
      },
    });
  });

  it('parses values and treats empty strings as unset', () => {
    const result = parseEnv({
      VERSION: 'v1.1',
      PORT: '0',
      FAULT_ERROR_RATE: '0.25',
      FAULTS_FILE: '',
      HOST: '',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.VERSION).toBe('v1.1');
    expect(result.config.PORT).toBe(0);
    expect(result.config.FAULT_ERROR_RATE).toBe(0.25);
    expect(result.config.FAULTS_FILE).toBeUndefined();
    expect(result.config.HOST).toBe('0.0.0.0');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['WARMUP_MS', '-1'],
    ['FAULT_ERROR_RATE', '1.5'],
    ['FAULT_ERROR_RATE', 'lots'],
    ['FAULT_LATENCY_MS', '-5'],
    ['VERSION', '<script>'],
    ['SHUTDOWN_TIMEOUT_MS', '60000'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const result = parseEnv({ [name]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.variable)).toContain(name);
    expect(describeEnvIssues(result.issues)).toContain(`${name}:`);
  });
});
