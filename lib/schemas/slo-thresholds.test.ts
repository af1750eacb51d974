import { describe, expect, it } from 'vitest';
import { judgeQuerySchema } from './judge-query';
import { THRESHOLD_SPECS, thresholdParamsSchema } from './slo-thresholds';

const messages = (query: Record<string, string>) => {
  const r = judgeQuerySchema.safeParse({ namespace: 'demo', rollout: 'webapp', ...query });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the judge query thresholds (the AnalysisTemplate args)', () => {
  it('reads numbers; an empty value (an arg left at "") means "not set by the analysis"', () => {
    const q = judgeQuerySchema.parse({
      namespace: 'demo',
      rollout: 'webapp',
      successRateMin: '0.995',
      errorRateMax: '',
      p95MaxMs: ' 250 ',
      minStepSeconds: '0',
    });
    expect(q).toMatchObject({ successRateMin: 0.995, errorRateMax: null, p95MaxMs: 250, minStepSeconds: 0 });
    expect(judgeQuerySchema.parse({ namespace: 'demo', rollout: 'webapp' }).p95MaxMs).toBeUndefined();
  });

  it('refuses a bad value naming the field and the arg', () => {
    expect(messages({ p95MaxMs: 'abc' })).toEqual([
      'p95MaxMs: must be a number (milliseconds), got "abc" (AnalysisTemplate arg p95-ms)',
    ]);
    expect(messages({ successRateMin: '99' })).toEqual([
      'successRateMin: must be between 0.5 and 0.999999 (a ratio: 0.99 for 99 %), got 99 (AnalysisTemplate arg success-rate)',
    ]);
    expect(messages({ minStepSeconds: '3601' })).toEqual([
      'minStepSeconds: must be between 0 and 3600 (seconds), got 3601 (AnalysisTemplate arg min-step-seconds)',
    ]);
    expect(messages({ errorRateMax: '-0.01' })[0]).toMatch(/^errorRateMax: must be between 0.000001 and 0.5/);
  });

  it('names an arg Argo left unsubstituted', () => {
    expect(messages({ errorRateMax: '{{args.error-rate}}' })).toEqual([
      'errorRateMax: the AnalysisTemplate arg error-rate was not substituted (got "{{args.error-rate}}"): declare it in the template\'s args (value "" leaves it to CONTROL_CENTER_CONFIG)',
    ]);
  });

  it('accepts every bound and nothing beyond it', () => {
    for (const [field, spec] of Object.entries(THRESHOLD_SPECS)) {
      expect(thresholdParamsSchema.safeParse({ [field]: String(spec.min) }).success, field).toBe(true);
      expect(thresholdParamsSchema.safeParse({ [field]: String(spec.max) }).success, field).toBe(true);
      expect(thresholdParamsSchema.safeParse({ [field]: String(spec.max * 1.01 + 1) }).success, field).toBe(
        false,
      );
      expect(thresholdParamsSchema.safeParse({ [field]: 'NaN' }).success, field).toBe(false);
    }
  });
});
