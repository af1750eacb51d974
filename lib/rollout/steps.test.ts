import { describe, expect, it } from 'vitest';
import { durationMs } from './duration';
import { stepLabel } from './steps';

describe('step labels and durations', () => {
  it('labels steps as people read them', () => {
    expect(stepLabel({ setWeight: 30 })).toBe('setWeight 30');
    expect(stepLabel({ pause: { duration: 60 } })).toBe('pause 60s');
    expect(stepLabel({ pause: { duration: '5m' } })).toBe('pause 5m');
    expect(stepLabel({ pause: {} })).toBe('pause (until promoted)');
    expect(stepLabel({ analysis: { templates: [{ templateName: 'webapp-slo' }] } })).toBe(
      'analysis webapp-slo',
    );
    expect(stepLabel({ setCanaryScale: { replicas: 2 } })).toBe('setCanaryScale 2 replicas');
  });
  it('parses Go durations', () => {
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs(10)).toBe(10_000);
    expect(durationMs('10')).toBe(10_000);
    expect(durationMs('10x')).toBeUndefined();
  });
});
