import { parseDurationMs, parseTime, rfc3339 } from '../duration';
import type { AnalysisRun, Measurement, Metric, MetricResult } from '../types';
import { resolveMetricArgs } from './args';
import { assessRunStatus, effectiveCount, isCompleted, isTerminating } from './assess';
import { runPrometheusMetric } from './providers/prometheus';
import type { MeasurementOutcome } from './providers/types';
import { runWebMetric } from './providers/web';

/** Argo's DefaultErrorRetryInterval. */
export const ERROR_RETRY_INTERVAL_MS = 10_000;
export const MEASUREMENT_HISTORY_LIMIT = 10;

export interface MeasureOptions {
  fetch?: typeof fetch;
  /** Address for prometheus metrics that name none (the lab's Prometheus). */
  prometheusAddress?: string;
}

/** Which metrics need a measurement at `now`, and when to look again (Argo's generateMetricTasks + calculateNextReconcileTime). */
export function planMeasurements(run: AnalysisRun, now: number): { due: Metric[]; nextAt?: number } {
  const due: Metric[] = [];
  let nextAt: number | undefined;
  const later = (t: number) => {
    nextAt = nextAt === undefined ? t : Math.min(nextAt, t);
  };
  if (isCompleted(run.status?.phase) || isTerminating(run)) return { due };
  const started = parseTime(run.status?.startedAt) ?? now;
  for (const metric of run.spec.metrics) {
    const result = run.status?.metricResults?.find((r) => r.name === metric.name);
    if (isCompleted(result?.phase)) continue;
    const last = result?.measurements?.at(-1);
    if (!last) {
      const delay = parseDurationMs(metric.initialDelay) ?? 0;
      if (now >= started + delay) due.push(metric);
      else later(started + delay);
      continue;
    }
    const count = effectiveCount(metric);
    if (count !== undefined && (result?.count ?? 0) >= count) continue;
    const finished = parseTime(last.finishedAt);
    if (finished === undefined) continue;
    const interval = last.phase === 'Error' ? ERROR_RETRY_INTERVAL_MS : parseDurationMs(metric.interval);
    if (interval === undefined) continue;
    if (now >= finished + interval) due.push(metric);
    else later(finished + interval);
  }
  return { due, nextAt };
}

/** Adds one measurement to a metric result and updates its counters as Argo's runMeasurements does. */
export function recordMeasurement(result: MetricResult, m: Measurement): MetricResult {
  const r: MetricResult = {
    count: 0,
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    consecutiveError: 0,
    consecutiveSuccess: 0,
    ...structuredClone(result),
  };
  r.measurements = [...(r.measurements ?? []), m];
  const inc = (
    k:
      | 'count'
      | 'successful'
      | 'failed'
      | 'inconclusive'
      | 'error'
      | 'consecutiveError'
      | 'consecutiveSuccess',
  ) => {
    r[k] = (r[k] ?? 0) + 1;
  };
  switch (m.phase) {
    case 'Successful':
      inc('successful');
      inc('count');
      r.consecutiveError = 0;
      inc('consecutiveSuccess');
      break;
    case 'Failed':
    case 'Inconclusive':
      inc(m.phase === 'Failed' ? 'failed' : 'inconclusive');
      inc('count');
      r.consecutiveError = 0;
      r.consecutiveSuccess = 0;
      break;
    case 'Error':
      inc('error');
      inc('consecutiveError');
      r.consecutiveSuccess = 0;
      break;
  }
  return r;
}

/** Applies taken measurements and re-assesses the run: the status to write. */
export function applyMeasurements(
  run: AnalysisRun,
  taken: Array<{ metric: string; measurement: Measurement }>,
  now: number,
): AnalysisRun['status'] {
  const dry = new Set((run.spec.dryRun ?? []).map((d) => d.metricName));
  const results = structuredClone(run.status?.metricResults ?? []);
  for (const t of taken) {
    const i = results.findIndex((r) => r.name === t.metric);
    const base: MetricResult = i >= 0 ? (results[i] as MetricResult) : { name: t.metric, phase: 'Running' };
    if (dry.has(t.metric) || dry.has('*')) base.dryRun = true;
    const next = recordMeasurement(base, t.measurement);
    // Argo's DefaultMeasurementHistoryLimit: only the last 10 measurements are kept (the counters keep the totals).
    next.measurements = next.measurements?.slice(-MEASUREMENT_HISTORY_LIMIT);
    if (i >= 0) results[i] = next;
    else results.push(next);
  }
  const withResults: AnalysisRun = {
    ...run,
    status: { ...run.status, startedAt: run.status?.startedAt ?? rfc3339(now), metricResults: results },
  };
  const a = assessRunStatus(withResults);
  const status: NonNullable<AnalysisRun['status']> = {
    ...withResults.status,
    phase: a.phase,
    metricResults: a.metricResults,
    runSummary: a.runSummary,
  };
  if (dry.size > 0) status.dryRunSummary = a.dryRunSummary;
  if (a.message) status.message = a.message;
  else delete status.message;
  // As Argo's assessRunStatus path: the time the run completed, stamped once when its phase first becomes completed.
  if (a.phase !== run.status?.phase && isCompleted(a.phase) && !status.completedAt)
    status.completedAt = rfc3339(now);
  return status;
}

/** Takes one measurement of a metric (args already substituted into the run's spec at measurement time). */
export async function measure(
  run: AnalysisRun,
  metric: Metric,
  now: () => number,
  opts: MeasureOptions,
): Promise<Measurement> {
  const startedAt = rfc3339(now());
  let outcome: MeasurementOutcome;
  try {
    const resolved = resolveMetricArgs(metric, run.spec.args);
    if (resolved.provider.web) outcome = await runWebMetric(resolved, opts.fetch);
    else if (resolved.provider.prometheus)
      outcome = await runPrometheusMetric(resolved, opts.prometheusAddress, opts.fetch);
    else
      outcome = {
        phase: 'Error',
        message: `metric provider not supported: ${Object.keys(metric.provider).join(',')}`,
      };
  } catch (e) {
    outcome = { phase: 'Error', message: (e as Error).message };
  }
  const m: Measurement = { phase: outcome.phase, startedAt, finishedAt: rfc3339(now()) };
  if (outcome.value !== undefined) m.value = outcome.value;
  if (outcome.message) m.message = outcome.message;
  return m;
}
