import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rfc3339 } from '../duration';
import type { AnalysisRun, Metric } from '../types';
import { webTimeoutMs } from './providers/web';
import { applyMeasurements, planMeasurements } from './run-executor';

/**
 * The judge template of manifests/app (the file Argo CD and the lab apply) through the lab's analysis executor while the
 * control center is down, on a simulated clock. The rules come from argo-rollouts analysis/analysis.go (v1.9.1): an
 * Error measurement adds to consecutiveError and to nothing that counts towards `count` or success (runMeasurements);
 * the next try comes DefaultErrorRetryInterval = 10 s after it finished, not `interval`
 * (generateMetricTasks); the metric ends in Error only when consecutiveError > consecutiveErrorLimit
 * (assessMetricFailureInconclusiveOrError). A hung connection costs the web provider's timeout per try.
 */
const TEMPLATE = path.resolve(__dirname, '../../../manifests/app/41-analysistemplate-judge.yaml');
const judgeMetric = (): Metric => {
  const t = parse(readFileSync(TEMPLATE, 'utf8')) as { spec: { metrics: Metric[] } };
  const m = t.spec.metrics.find((x) => x.name === 'slo-judge');
  if (!m) throw new Error('the judge template has no slo-judge metric');
  return m;
};

type Judge = 'pause' | 'promote' | 'refused' | 'hung';
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Drives one run as the lab controller does (measure when due, apply, re-plan) until `endMs` or a final phase. */
function simulate(judgeAt: (ms: number) => Judge, endMs: number) {
  const metric = judgeMetric();
  const hang = webTimeoutMs(metric.provider.web ?? { timeoutSeconds: 0 });
  let run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'r', namespace: 'demo' },
    spec: { metrics: [metric] },
  };
  let now = T0;
  let maxConsecutiveError = 0;
  const trace: Array<{ at: number; phase: string; consecutiveError: number; count: number }> = [];
  for (let i = 0; i < 10_000 && now <= T0 + endMs; i++) {
    const { due, nextAt } = planMeasurements(run, now);
    if (due.length === 0) {
      if (nextAt === undefined) break;
      now = nextAt;
      continue;
    }
    const startedAt = now;
    const j = judgeAt(now - T0);
    const took = j === 'hung' ? hang : j === 'refused' ? 2 : 150;
    now += took;
    const measurement =
      j === 'pause' || j === 'promote'
        ? { phase: j === 'promote' ? 'Successful' : 'Inconclusive', value: JSON.stringify(j) }
        : {
            phase: 'Error',
            message:
              j === 'hung'
                ? 'Get "http://cc/api/v1/judge": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
                : 'Get "http://cc/api/v1/judge": dial tcp 10.0.0.1:3300: connect: connection refused',
          };
    const status = applyMeasurements(
      run,
      [
        {
          metric: metric.name,
          measurement: { ...measurement, startedAt: rfc3339(startedAt), finishedAt: rfc3339(now) },
        },
      ],
      now,
    );
    run = { ...run, status };
    const r = status?.metricResults?.[0];
    maxConsecutiveError = Math.max(maxConsecutiveError, r?.consecutiveError ?? 0);
    trace.push({
      at: now - T0,
      phase: status?.phase ?? '',
      consecutiveError: r?.consecutiveError ?? 0,
      count: r?.count ?? 0,
    });
    if (status?.phase !== 'Running') break;
  }
  return { run, trace, maxConsecutiveError };
}

/** The judge says "pause" until the outage, is down for it, then says "promote". */
const outage = (kind: 'refused' | 'hung', fromMs: number, forMs: number) => (ms: number) =>
  ms < fromMs ? 'pause' : ms < fromMs + forMs ? kind : 'promote';

describe('the judge template through a control center outage (lab executor, Argo rules)', () => {
  it('the shipped template: 5 s interval, errors retried after 10 s, 5 s timeout, limit 15', () => {
    const m = judgeMetric();
    expect(m.interval).toBe('5s');
    expect(m.consecutiveErrorLimit).toBe(15);
    expect(m.provider.web?.timeoutSeconds).toBe(5);
    expect(webTimeoutMs(m.provider.web ?? {})).toBe(5000);
  });

  for (const kind of ['refused', 'hung'] as const) {
    it(`a 2-minute outage (${kind}) neither ends the run nor counts as success; the judge decides after it`, () => {
      const { run, trace, maxConsecutiveError } = simulate(outage(kind, 20_000, 120_000), 600_000);
      const during = trace.filter((t) => t.at > 20_000 && t.at <= 140_000);
      expect(during.length).toBeGreaterThan(3);
      expect(during.every((t) => t.phase === 'Running')).toBe(true);
      // The measurements counted towards `count` stay where the outage found them: errors are not measurements.
      expect(new Set(during.map((t) => t.count)).size).toBe(1);
      expect(maxConsecutiveError).toBeGreaterThan(3);
      expect(maxConsecutiveError).toBeLessThanOrEqual(15);
      const r = run.status?.metricResults?.[0];
      expect(run.status?.phase).toBe('Successful');
      // completedAt: stamped once, when the phase became Successful (the timeline dates the result by it)
      expect(run.status?.completedAt).toBe(rfc3339(T0 + (trace.at(-1)?.at ?? 0)));
      expect(run.status?.startedAt).toBe(rfc3339(T0 + (trace[0]?.at ?? 0)));
      expect(r?.consecutiveError).toBe(0);
      expect(r?.failed ?? 0).toBe(0);
      expect(r?.error).toBe(maxConsecutiveError);
    });
  }

  it('a judge that stays down ends the run in Error after the 16th error in a row, 150 s after the first', () => {
    const { run, trace } = simulate((ms) => (ms < 20_000 ? 'pause' : 'refused'), 900_000);
    expect(run.status?.phase).toBe('Error');
    expect(run.status?.message).toBe(
      'Metric "slo-judge" assessed Error due to consecutiveErrors (16) > consecutiveErrorLimit (15): "Error Message: Get "http://cc/api/v1/judge": dial tcp 10.0.0.1:3300: connect: connection refused"',
    );
    const firstError = trace.find((t) => t.consecutiveError === 1)?.at ?? 0;
    const last = trace.at(-1)?.at ?? 0;
    expect(last - firstError).toBeGreaterThanOrEqual(150_000);
    expect(last - firstError).toBeLessThan(151_000);
  });

  it('hung connections stretch that to 15 x (10 s + 5 s timeout)', () => {
    const { run, trace } = simulate((ms) => (ms < 20_000 ? 'pause' : 'hung'), 900_000);
    expect(run.status?.phase).toBe('Error');
    const firstError = trace.find((t) => t.consecutiveError === 1)?.at ?? 0;
    expect((trace.at(-1)?.at ?? 0) - firstError).toBeGreaterThanOrEqual(225_000);
  });
});
