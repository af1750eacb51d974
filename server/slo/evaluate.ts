import 'server-only';
import { type JudgeConfig, judge, type Verdict, type VersionSample } from '@/lib/slo';
import type { MetricsSource } from '../metrics/types';
import type { CanaryTarget } from './rollout-target';

export interface SloReport extends Verdict {
  namespace: string;
  rollout: string | null;
  canary: { service: string; podHash: string | null };
  stable: { service: string; podHash: string | null };
  window: { since: number; until: number; stepSeconds: number };
  metrics: MetricsSource['kind'] | 'none';
}

/** Step between judged scrapes: about 5 s, coarser for long canaries (at most ~120 points per version). */
export function stepFor(seconds: number): number {
  return Math.max(5, Math.ceil(seconds / 120));
}

/** Keeps the scrapes both versions have, so each window pairs canary and stable at the same instant. */
function align(a: VersionSample[], b: VersionSample[]): [VersionSample[], VersionSample[]] {
  const times = new Set(b.map((s) => s.observedAt));
  const ca = a.filter((s) => times.has(s.observedAt));
  const keep = new Set(ca.map((s) => s.observedAt));
  return [ca, b.filter((s) => keep.has(s.observedAt))];
}

/** Reads both versions' metrics since the canary started and asks the judge. Metrics failures give PAUSE. */
export async function evaluateCanary(
  target: CanaryTarget,
  source: MetricsSource | null,
  config: Partial<JudgeConfig>,
  now: number,
): Promise<SloReport> {
  const step = stepFor(now - target.since);
  const base = {
    namespace: target.namespace,
    rollout: target.rollout,
    canary: { service: target.canaryService, podHash: target.canaryHash },
    stable: { service: target.stableService, podHash: target.stableHash },
    window: { since: target.since, until: now, stepSeconds: step },
    metrics: source?.kind ?? ('none' as const),
  };
  if (!source) {
    return {
      ...base,
      ...judge({ now, canary: [], stable: [] }, config),
      dataIssues: ['no metrics source is configured (PROMETHEUS_URL)'],
    };
  }
  const svc = (service: string) => ({ metrics: 'istio' as const, namespace: target.namespace, service });
  const [canary, stable] = await Promise.all([
    source.series(svc(target.canaryService), target.since, now, step),
    source.series(svc(target.stableService), target.since, now, step),
  ]);
  const issues: string[] = [];
  if (!canary.ok) issues.push(`canary: ${canary.reason}`);
  if (!stable.ok) issues.push(`stable: ${stable.reason}`);
  const [c, s] = align(canary.ok ? canary.samples : [], stable.ok ? stable.samples : []);
  const verdict = judge(
    { now, canary: canary.ok ? (stable.ok ? c : canary.samples) : [], stable: stable.ok ? s : [] },
    config,
  );
  return { ...base, ...verdict, dataIssues: [...issues, ...verdict.dataIssues] };
}
