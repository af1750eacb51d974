import 'server-only';
import { type JudgeConfig, judge } from '@/lib/slo';
import type { SloReport } from '@/lib/slo/report';
import type { MetricsSource } from '../metrics/types';
import type { CanaryTarget } from './rollout-target';

export type { SloReport };

/** Grid steps the judge reads on; one fixed ladder, so two calls of the same canary share their windows. */
const STEP_LADDER = [5, 10, 15, 20, 30, 60, 120, 300] as const;

/** Step between judged points: 5 s, coarser for long evidence (at most ~120 points per version). */
export function stepFor(seconds: number): number {
  const wanted = Math.ceil(seconds / 120);
  return STEP_LADDER.find((s) => s >= wanted) ?? 300;
}

/**
 * Reads both versions' metrics (one grid, per-process reset-safe counters) since the start of this revision's rollback
 * evidence and asks the judge, with the attempt and step starts the evidence belongs to. Metrics failures give PAUSE
 * (and never hide a ROLLBACK whose evidence has crossed).
 */
export async function evaluateCanary(
  target: CanaryTarget,
  source: MetricsSource | null,
  config: Partial<JudgeConfig>,
  now: number,
): Promise<SloReport> {
  const step = stepFor(now - target.since);
  const attempt = target.attempt ?? null;
  const base = {
    namespace: target.namespace,
    rollout: target.rollout,
    canary: { service: target.canaryService, podHash: target.canaryHash },
    stable: { service: target.stableService, podHash: target.stableHash },
    window: { since: target.since, until: now, stepSeconds: step },
    attempt,
    weight: target.weight,
    stepIndex: target.stepIndex,
    metrics: source?.kind ?? ('none' as const),
  };
  if (!source) {
    const verdict = judge({ now, canary: [], stable: [] }, config);
    return {
      ...base,
      ...verdict,
      metricsQueries: 0,
      dataIssues: ['no metrics source is configured (PROMETHEUS_URL)'],
    };
  }
  const svc = (service: string) => ({ metrics: 'istio' as const, namespace: target.namespace, service });
  const r = await source.pairSeries(
    { canary: svc(target.canaryService), stable: svc(target.stableService) },
    target.since,
    now,
    step,
  );
  const issues: string[] = [];
  if (!r.ok) issues.push(`metrics: ${r.reason}`);
  else if (r.newestSampleAt === null)
    issues.push('metrics: no raw sample of the canary in the last 5 minutes');
  const verdict = judge(
    {
      now,
      canary: r.ok ? r.canary : [],
      stable: r.ok ? r.stable : [],
      ...(attempt ? { attempt } : {}),
      ...(r.ok && r.newestSampleAt !== null ? { newestSampleAt: r.newestSampleAt } : {}),
    },
    config,
  );
  return {
    ...base,
    ...verdict,
    metricsQueries: r.ok ? r.queries : 1,
    dataIssues: [...issues, ...verdict.dataIssues],
  };
}
