import { describe, expect, it } from 'vitest';
import { sloConfigSchema } from '@/lib/schemas/slo-thresholds';
import { DEFAULT_JUDGE_CONFIG } from '@/lib/slo';
import { builtInThresholds, queryNamesThresholds, resolveThresholds } from './thresholds';

const config = sloConfigSchema.parse({
  p95MaxMs: 1000,
  namespaces: { demo: { p95MaxMs: 500, errorRateMax: 0.02, minStepSeconds: 45 } },
  rollouts: { 'demo/webapp': { p95MaxMs: 250, minStepSeconds: 60 } },
});

describe('resolveThresholds: analysis args > rollout config > namespace config > file-wide config > default', () => {
  it('takes each threshold from the strongest source that sets it', () => {
    const t = resolveThresholds({
      analysis: { successRateMin: 0.995, errorRateMax: null, p95MaxMs: undefined },
      namespace: 'demo',
      rollout: 'webapp',
      config,
    });
    expect(t).toEqual({
      successRateMin: 0.995,
      errorRateMax: 0.02,
      p95MaxMs: 250,
      minStepSeconds: 60,
      sources: {
        successRateMin: 'analysis',
        errorRateMax: 'config-namespace',
        p95MaxMs: 'config-rollout',
        minStepSeconds: 'config-rollout',
      },
    });
  });

  it('an arg beats every config layer', () => {
    const t = resolveThresholds({
      analysis: { p95MaxMs: 300 },
      namespace: 'demo',
      rollout: 'webapp',
      config,
    });
    expect([t.p95MaxMs, t.sources.p95MaxMs]).toEqual([300, 'analysis']);
  });

  it('another rollout of the namespace gets the namespace values; another namespace the file-wide ones', () => {
    const other = resolveThresholds({ analysis: {}, namespace: 'demo', rollout: 'cart', config });
    expect([other.p95MaxMs, other.sources.p95MaxMs]).toEqual([500, 'config-namespace']);
    const shop = resolveThresholds({ analysis: {}, namespace: 'shop', rollout: 'webapp', config });
    expect([shop.p95MaxMs, shop.sources.p95MaxMs]).toEqual([1000, 'config']);
    expect([shop.errorRateMax, shop.sources.errorRateMax]).toEqual([
      DEFAULT_JUDGE_CONFIG.errorRateMax,
      'default',
    ]);
  });

  it('a judgement of two services (no rollout) skips the rollout layer', () => {
    const t = resolveThresholds({ analysis: {}, namespace: 'demo', rollout: undefined, config });
    expect(t.sources.p95MaxMs).toBe('config-namespace');
  });

  it('falls back to the built-in defaults: the judge config, minimum 30 s at a step', () => {
    const t = resolveThresholds({
      analysis: {},
      namespace: 'x',
      rollout: 'y',
      config: sloConfigSchema.parse({}),
    });
    expect(t).toMatchObject({
      ...builtInThresholds(),
      sources: { successRateMin: 'default', minStepSeconds: 'default' },
    });
    expect(builtInThresholds()).toMatchObject({
      successRateMin: 0.99,
      errorRateMax: 0.01,
      p95MaxMs: 300,
      minStepSeconds: 30,
    });
  });

  it('a query naming any threshold, even empty, is the analysis speaking', () => {
    expect(queryNamesThresholds({ p95MaxMs: null })).toBe(true);
    expect(queryNamesThresholds({})).toBe(false);
  });
});
