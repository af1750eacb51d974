import type { AnalysisRun, Metric, MetricResult, RunSummary } from '../types';

/** Analysis phases, best to worst (Argo's `analysisStatusOrder` in utils/analysis). */
export const PHASE_ORDER = ['Pending', 'Running', 'Successful', 'Inconclusive', 'Error', 'Failed'] as const;
export type AnalysisPhase = (typeof PHASE_ORDER)[number];

export const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);
export const isCompleted = (p: string | undefined): boolean => p !== undefined && COMPLETED.has(p);
export const isWorse = (current: string, next: string): boolean =>
  PHASE_ORDER.indexOf(next as AnalysisPhase) > PHASE_ORDER.indexOf(current as AnalysisPhase);

export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

export function intValue(v: number | string | undefined, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : fallback;
}

/** `metric.EffectiveCount()`: count, or 1 when neither count nor interval is set (a one-shot metric). */
export function effectiveCount(metric: Metric): number | undefined {
  if (metric.count === undefined || metric.count === '') return metric.interval ? undefined : 1;
  // An unresolved `{{args.count}}` never counts as reached: the metric runs until its errors end it.
  const n = intValue(metric.count, Number.NaN);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * Argo's `assessMetricFailureInconclusiveOrError`. Later checks win, as in Argo (Error over Inconclusive over
 * Failed). A failureLimit of -1 turns the failure check off (Argo >= 1.8, used with consecutiveSuccessLimit).
 */
export function assessMetricFailureInconclusiveOrError(
  metric: Metric,
  result: MetricResult,
): { phase?: AnalysisPhase; message?: string } {
  let phase: AnalysisPhase | undefined;
  let message: string | undefined;
  const failureLimit = intValue(metric.failureLimit, 0);
  const failed = result.failed ?? 0;
  if (failureLimit >= 0 && failed > failureLimit) {
    phase = 'Failed';
    message = `failed (${failed}) > failureLimit (${failureLimit})`;
  }
  const inconclusiveLimit = intValue(metric.inconclusiveLimit, 0);
  const inconclusive = result.inconclusive ?? 0;
  if (inconclusiveLimit >= 0 && inconclusive > inconclusiveLimit) {
    phase = 'Inconclusive';
    message = `inconclusive (${inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`;
  }
  const errorLimit = intValue(metric.consecutiveErrorLimit, DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  const consecutiveError = result.consecutiveError ?? 0;
  if (consecutiveError > errorLimit) {
    phase = 'Error';
    message = `consecutiveErrors (${consecutiveError}) > consecutiveErrorLimit (${errorLimit})`;
  }
  return { phase, message };
}

/**
 * Argo's `assessMetricStatus` (analysis/analysis.go) with the v1.8 consecutiveSuccessLimit rules: Successful as soon as
 * consecutiveSuccess reaches the limit; when count is reached, Successful if only failureLimit applies, Failed if only
 * consecutiveSuccessLimit applies (failureLimit -1), Inconclusive if both apply and neither was reached.
 */
export function assessMetricStatus(
  metric: Metric,
  result: MetricResult,
  terminating: boolean,
): AnalysisPhase {
  if (isCompleted(result.phase)) return result.phase as AnalysisPhase;
  const measurements = result.measurements ?? [];
  if (measurements.length === 0) return terminating ? 'Successful' : 'Pending';
  const last = measurements[measurements.length - 1];
  if (!isCompleted(last?.phase)) return 'Running';
  const bad = assessMetricFailureInconclusiveOrError(metric, result);
  if (bad.phase) return bad.phase;
  const successLimit = intValue(metric.consecutiveSuccessLimit, 0);
  if (successLimit > 0 && (result.consecutiveSuccess ?? 0) >= successLimit) return 'Successful';
  const count = effectiveCount(metric);
  if (count !== undefined && (result.count ?? 0) >= count) {
    const failureApplicable = intValue(metric.failureLimit, 0) >= 0;
    const successApplicable = successLimit > 0;
    if (failureApplicable && successApplicable) return 'Inconclusive';
    if (successApplicable) return 'Failed';
    return 'Successful';
  }
  return terminating ? 'Successful' : 'Running';
}

/** Argo's `IsTerminating`: asked to stop, or a non-dry-run metric already ended badly. */
export function isTerminating(run: AnalysisRun): boolean {
  if (run.spec.terminate) return true;
  return (run.status?.metricResults ?? []).some(
    (r) => !r.dryRun && (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'),
  );
}

export interface RunAssessment {
  phase: AnalysisPhase;
  message: string;
  metricResults: MetricResult[];
  runSummary: RunSummary;
  dryRunSummary: RunSummary;
}

/** Argo's `assessRunStatus`: each metric's phase, then the worst completed non-dry-run phase once all completed. */
export function assessRunStatus(run: AnalysisRun): RunAssessment {
  const terminating = isTerminating(run);
  const dry = new Set((run.spec.dryRun ?? []).map((d) => d.metricName));
  const results = structuredClone(run.status?.metricResults ?? []);
  const runSummary = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  const dryRunSummary = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  let worst: AnalysisPhase | undefined;
  let worstMessage = run.spec.terminate ? 'Run Terminated' : '';
  let everythingCompleted = true;
  for (const metric of run.spec.metrics) {
    const isDry = dry.has(metric.name) || dry.has('*');
    const summary = isDry ? dryRunSummary : runSummary;
    summary.count++;
    const result = results.find((r) => r.name === metric.name);
    if (!result) {
      everythingCompleted = false;
      continue;
    }
    const status = assessMetricStatus(metric, result, terminating);
    if (result.phase !== status) {
      const last = result.measurements?.at(-1);
      if (last?.message) result.message = last.message;
      result.phase = status;
    }
    if (!isCompleted(status)) {
      everythingCompleted = false;
      continue;
    }
    const bad = assessMetricFailureInconclusiveOrError(metric, result);
    if (!isDry) {
      if (worst === undefined || isWorse(worst, status)) {
        worst = status;
        if (bad.message) {
          worstMessage = `Metric "${metric.name}" assessed ${status} due to ${bad.message}`;
          if (result.message) worstMessage += `: "Error Message: ${result.message}"`;
        }
      }
    } else {
      worst ??= 'Successful';
      if (bad.message) result.message = `Metric assessed ${status} due to ${bad.message}`;
    }
    const key =
      bad.phase === 'Failed'
        ? 'failed'
        : bad.phase === 'Inconclusive'
          ? 'inconclusive'
          : bad.phase === 'Error'
            ? 'error'
            : 'successful';
    summary[key]++;
  }
  const base = { metricResults: results, runSummary, dryRunSummary, message: worstMessage.trim() };
  const nowTerminating = isTerminating({ ...run, status: { ...run.status, metricResults: results } });
  if (!terminating && nowTerminating && !everythingCompleted) {
    // A metric just ended badly: the rest are terminated in the same pass (Argo does it on the next reconcile).
    return assessRunStatus({ ...run, status: { ...run.status, metricResults: results } });
  }
  if (terminating) return { ...base, phase: worst ?? 'Successful' };
  if (!everythingCompleted || worst === undefined) return { ...base, phase: 'Running', message: '' };
  return { ...base, phase: worst };
}
