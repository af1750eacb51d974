import { describe, expect, it } from 'vitest';
import type { AnalysisRun, Metric, MetricResult } from '../types';
import { assessMetricStatus, assessRunStatus } from './assess';
import { evaluateResult } from './evaluate';
import { planMeasurements, recordMeasurement } from './run-executor';

const done = (phase: string) => ({
  phase,
  startedAt: '2024-01-01T00:00:00Z',
  finishedAt: '2024-01-01T00:00:01Z',
});
const metric = (m: Partial<Metric> = {}): Metric => ({ name: 'm', provider: { web: { url: 'x' } }, ...m });
function resultOf(phases: string[]): MetricResult {
  return phases.reduce<MetricResult>((r, p) => recordMeasurement(r, done(p)), {
    name: 'm',
    phase: 'Running',
  });
}

// Mirrors argo-rollouts analysis/analysis_test.go TestAssessMetricStatus* plus the v1.8 consecutiveSuccessLimit rules.
describe('assessMetricStatus', () => {
  const cases: Array<[string, Partial<Metric>, string[], boolean, string]> = [
    ['no measurements yet', {}, [], false, 'Pending'],
    ['no measurements, terminating', {}, [], true, 'Successful'],
    ['failed > failureLimit (default 0)', { interval: '10s' }, ['Failed'], false, 'Failed'],
    [
      'failed == failureLimit keeps running',
      { interval: '10s', failureLimit: 1 },
      ['Failed'],
      false,
      'Running',
    ],
    [
      'failed within limit, count reached',
      { count: 2, failureLimit: 1 },
      ['Failed', 'Successful'],
      false,
      'Successful',
    ],
    ['inconclusive > inconclusiveLimit', { interval: '10s' }, ['Inconclusive'], false, 'Inconclusive'],
    [
      'consecutiveError == limit keeps running',
      { interval: '10s' },
      ['Error', 'Error', 'Error', 'Error'],
      false,
      'Running',
    ],
    [
      'consecutiveError > limit (default 4)',
      { interval: '10s' },
      ['Error', 'Error', 'Error', 'Error', 'Error'],
      false,
      'Error',
    ],
    [
      'an error between successes resets consecutiveError',
      { interval: '10s' },
      ['Error', 'Error', 'Error', 'Error', 'Successful', 'Error'],
      false,
      'Running',
    ],
    [
      'Error wins over Failed (checked last, as in Argo)',
      { interval: '10s', consecutiveErrorLimit: 0 },
      ['Failed', 'Error'],
      false,
      'Error',
    ],
    ['count reached', { count: 2 }, ['Successful', 'Successful'], false, 'Successful'],
    ['errors do not count toward count', { count: 2 }, ['Successful', 'Error'], false, 'Running'],
    ['one-shot metric (no count, no interval)', {}, ['Successful'], false, 'Successful'],
    ['indefinite metric keeps running', { interval: '10s' }, ['Successful', 'Successful'], false, 'Running'],
    ['indefinite metric, terminating', { interval: '10s' }, ['Successful'], true, 'Successful'],
    [
      'consecutiveSuccessLimit reached',
      { interval: '10s', count: 5, consecutiveSuccessLimit: 2 },
      ['Successful', 'Successful'],
      false,
      'Successful',
    ],
    [
      'consecutiveSuccess broken by a failure within limit',
      { count: 5, failureLimit: 3, consecutiveSuccessLimit: 2 },
      ['Successful', 'Failed', 'Successful'],
      false,
      'Running',
    ],
    [
      'both limits apply, count reached, neither met',
      { count: 3, failureLimit: 3, consecutiveSuccessLimit: 2 },
      ['Successful', 'Failed', 'Successful'],
      false,
      'Inconclusive',
    ],
    [
      'only consecutiveSuccessLimit (failureLimit -1), count reached',
      { count: 2, failureLimit: -1, consecutiveSuccessLimit: 2 },
      ['Failed', 'Successful'],
      false,
      'Failed',
    ],
  ];
  it.each(cases)('%s', (_n, m, phases, terminating, want) => {
    expect(assessMetricStatus(metric(m), resultOf(phases), terminating)).toBe(want);
  });

  it('an unfinished last measurement is Running', () => {
    const r: MetricResult = {
      name: 'm',
      phase: 'Running',
      measurements: [{ phase: 'Running', startedAt: 'x' }],
    };
    expect(assessMetricStatus(metric({ count: 1 }), r, false)).toBe('Running');
  });

  describe('the judge template of DESIGN.md §5 (count N, inconclusiveLimit N-1, failureLimit 0, consecutiveSuccessLimit 1)', () => {
    const judge = metric({
      interval: '10s',
      count: 6,
      inconclusiveLimit: 5,
      failureLimit: 0,
      consecutiveSuccessLimit: 1,
    });
    it('stays Running while the judge says pause', () => {
      expect(
        assessMetricStatus(judge, resultOf(['Inconclusive', 'Inconclusive', 'Inconclusive']), false),
      ).toBe('Running');
    });
    it('ends Successful at the first promote', () => {
      expect(assessMetricStatus(judge, resultOf(['Inconclusive', 'Inconclusive', 'Successful']), false)).toBe(
        'Successful',
      );
    });
    it('ends Failed at the first rollback', () => {
      expect(assessMetricStatus(judge, resultOf(['Inconclusive', 'Failed']), false)).toBe('Failed');
    });
    it('ends Inconclusive when the budget runs out undecided', () => {
      expect(assessMetricStatus(judge, resultOf(Array(6).fill('Inconclusive')), false)).toBe('Inconclusive');
    });
  });
});

describe('assessRunStatus', () => {
  const run = (
    metrics: Metric[],
    results: MetricResult[],
    extra: Partial<AnalysisRun['spec']> = {},
  ): AnalysisRun => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'r' },
    spec: { metrics, ...extra },
    status: { phase: 'Running', metricResults: results },
  });
  const named = (name: string, phases: string[]): MetricResult => ({ ...resultOf(phases), name });

  it('is Running until every metric completes', () => {
    const a = assessRunStatus(
      run(
        [metric({ name: 'a', count: 1 }), metric({ name: 'b', count: 2 })],
        [named('a', ['Successful']), named('b', ['Successful'])],
      ),
    );
    expect(a.phase).toBe('Running');
  });
  it('takes the worst metric and words the message as Argo', () => {
    const a = assessRunStatus(
      run(
        [
          metric({ name: 'success-rate', interval: '10s', failureLimit: 1 }),
          metric({ name: 'latency', interval: '10s' }),
        ],
        [named('success-rate', ['Failed', 'Failed']), named('latency', ['Successful'])],
      ),
    );
    expect(a.phase).toBe('Failed');
    expect(a.message).toBe('Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    expect(a.runSummary).toEqual({ count: 2, successful: 1, failed: 1, inconclusive: 0, error: 0 });
  });
  it('appends the last error message for an Error metric', () => {
    const r = named('m', Array(5).fill('Error'));
    for (const m of r.measurements ?? []) m.message = 'connection refused';
    const a = assessRunStatus(run([metric({ interval: '10s' })], [r]));
    expect(a.phase).toBe('Error');
    expect(a.message).toBe(
      'Metric "m" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: connection refused"',
    );
  });
  it('ignores dry-run metrics in the verdict', () => {
    const a = assessRunStatus(
      run(
        [metric({ name: 'dry', count: 1 }), metric({ name: 'real', count: 1 })],
        [{ ...named('dry', ['Failed']), dryRun: true }, named('real', ['Successful'])],
        {
          dryRun: [{ metricName: 'dry' }],
        },
      ),
    );
    expect(a.phase).toBe('Successful');
    expect(a.dryRunSummary.failed).toBe(1);
  });
  it('a terminated run ends Successful with "Run Terminated"', () => {
    const a = assessRunStatus(
      run([metric({ interval: '10s' })], [named('m', ['Successful'])], { terminate: true }),
    );
    expect(a).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
  });
});

describe('evaluateResult (Argo evaluate.EvaluateResult)', () => {
  it.each([
    [{}, 1, 'Successful'],
    [{ successCondition: 'result > 0.5' }, 0.9, 'Successful'],
    [{ successCondition: 'result > 0.5' }, 0.1, 'Failed'],
    [{ failureCondition: 'result > 0.5' }, 0.1, 'Successful'],
    [{ failureCondition: 'result > 0.5' }, 0.9, 'Failed'],
    [
      { successCondition: 'result == "promote"', failureCondition: 'result == "rollback"' },
      'pause',
      'Inconclusive',
    ],
    [
      { successCondition: 'result == "promote"', failureCondition: 'result == "rollback"' },
      'rollback',
      'Failed',
    ],
    [{ successCondition: 'result[0] >= 0.99' }, [], 'Error'],
    [{ successCondition: 'result[0] >= 0.99' }, [Number.NaN], 'Failed'],
    [{ successCondition: 'result' }, 3, 'Error'],
  ])('%j with %j → %s', (m, result, want) => {
    expect(evaluateResult(result, metric(m as Partial<Metric>)).phase).toBe(want);
  });
});

describe('planMeasurements', () => {
  const base = (status: AnalysisRun['status'], m: Partial<Metric> = {}): AnalysisRun => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'r' },
    spec: { metrics: [metric({ interval: '10s', count: 3, ...m })] },
    status,
  });
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  it('measures at once, or after initialDelay', () => {
    expect(planMeasurements(base(undefined), t0).due).toHaveLength(1);
    const p = planMeasurements(
      base({ startedAt: '2024-01-01T00:00:00Z' }, { initialDelay: '5s' }),
      t0 + 1000,
    );
    expect(p).toEqual({ due: [], nextAt: t0 + 5000 });
  });
  it('waits the interval after the last measurement; 10 s after an error', () => {
    const r = recordMeasurement({ name: 'm', phase: 'Running' }, done('Successful'));
    expect(
      planMeasurements(base({ startedAt: 'x', metricResults: [r] }, { interval: '30s' }), t0 + 2000).nextAt,
    ).toBe(t0 + 31_000);
    const e = recordMeasurement({ name: 'm', phase: 'Running' }, done('Error'));
    expect(
      planMeasurements(base({ startedAt: 'x', metricResults: [e] }, { interval: '30s' }), t0 + 2000).nextAt,
    ).toBe(t0 + 11_000);
  });
});
