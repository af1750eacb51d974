import { describe, expect, it } from 'vitest';
import { judgeUrlParams } from './analysis-thresholds';

const URL_TEMPLATE =
  '{{args.judge-url}}/api/v1/judge?namespace={{args.namespace}}&rollout={{args.rollout}}&successRateMin={{args.success-rate}}&errorRateMax={{args.error-rate}}&p95MaxMs={{args.p95-ms}}&minStepSeconds={{args.min-step-seconds}}';

const run = (
  name: string,
  created: string,
  args: Array<{ name: string; value?: string }>,
  hash = 'abc123',
) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: {
    name,
    namespace: 'demo',
    creationTimestamp: created,
    labels: { 'rollouts-pod-template-hash': hash },
    ownerReferences: [{ kind: 'Rollout', name: 'webapp' }],
  },
  spec: {
    args,
    metrics: [{ name: 'slo-judge', provider: { web: { url: URL_TEMPLATE } } }],
  },
});

const base = [
  { name: 'judge-url', value: 'http://cc:3300' },
  { name: 'namespace', value: 'demo' },
  { name: 'rollout', value: 'webapp' },
  { name: 'judge-token', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } },
];

describe('judgeUrlParams: the thresholds the newest judge AnalysisRun of the canary sends', () => {
  it('substitutes the run args into the judge URL as Argo does', () => {
    const runs = [
      run('webapp-abc123-2-1', '2026-01-01T10:00:00Z', [...base, { name: 'p95-ms', value: '999' }]),
      run('webapp-abc123-2-3', '2026-01-01T10:05:00Z', [
        ...base,
        { name: 'success-rate', value: '0.995' },
        { name: 'error-rate', value: '' },
        { name: 'p95-ms', value: '250' },
        { name: 'min-step-seconds', value: '' },
      ]),
      run('webapp-def456-1-1', '2026-01-01T11:00:00Z', [...base, { name: 'p95-ms', value: '1' }], 'def456'),
    ];
    expect(judgeUrlParams(runs, 'webapp', 'abc123')).toEqual({
      run: 'webapp-abc123-2-3',
      params: { successRateMin: '0.995', errorRateMax: '', p95MaxMs: '250', minStepSeconds: '' },
    });
  });

  it('leaves an arg without a value literal, for the schema to name', () => {
    const found = judgeUrlParams([run('r', '2026-01-01T10:00:00Z', base)], 'webapp', 'abc123');
    expect(found?.params.p95MaxMs).toBe('{{args.p95-ms}}');
  });

  it('is null without a judge run of this canary (other hash, other rollout, other provider)', () => {
    const other = run('r', '2026-01-01T10:00:00Z', base);
    other.spec.metrics = [{ name: 'x', provider: { web: { url: 'http://prom/api/v1/query' } } }];
    expect(judgeUrlParams([other, { junk: true }], 'webapp', 'abc123')).toBeNull();
    expect(judgeUrlParams([run('r', '2026-01-01T10:00:00Z', base)], 'cart', 'abc123')).toBeNull();
    expect(judgeUrlParams([run('r', '2026-01-01T10:00:00Z', base)], 'webapp', 'zzz')).toBeNull();
  });
});
