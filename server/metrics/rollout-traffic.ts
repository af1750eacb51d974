import 'server-only';
import type { Rollout } from '@/lib/rollout/kube-types';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import type { RolloutTraffic, TrafficMark, VersionRole, VersionTraffic } from '@/lib/rollout/traffic-chart';
import { observedShare, ratePoints, withLeadingZeros } from '@/lib/rollout/traffic-series';
import { DEFAULT_JUDGE_CONFIG } from '@/lib/slo';
import type { MetricsSource } from './types';

export const RECENT_SECONDS = 60;

/** Chart resolution: about 60 points over the range, never finer than 10 s; rates look back two steps (≥ 30 s). */
export function chartStep(minutes: number): { step: number; lookback: number } {
  const step = Math.max(10, Math.ceil((minutes * 60) / 60));
  return { step, lookback: Math.max(30, 2 * step) };
}

/** The services whose traffic is charted: stable always, canary when the rollout names one. */
export function versionServices(ro: Rollout): Array<{ role: VersionRole; service: string }> {
  const c = ro.spec?.strategy?.canary;
  const out: Array<{ role: VersionRole; service: string }> = [];
  if (c?.stableService) out.push({ role: 'stable', service: c.stableService });
  if (c?.canaryService) out.push({ role: 'canary', service: c.canaryService });
  return out;
}

const MARK_KINDS = new Set<TimelineEntry['kind']>(['step', 'phase', 'action']);

/** Timeline entries inside the chart range that deserve a vertical mark, oldest first. */
export function marksOf(entries: readonly TimelineEntry[], since: number, until: number): TrafficMark[] {
  return entries
    .filter((e) => MARK_KINDS.has(e.kind))
    .map((e) => ({ t: Date.parse(e.at) / 1000, kind: e.kind, label: e.summary }))
    .filter((m) => Number.isFinite(m.t) && m.t >= since && m.t <= until)
    .sort((a, b) => a.t - b.t);
}

/**
 * Rates per version over the last `minutes` and the canary's observed share over the last minute. Metrics failures
 * become `issues` and empty series, never an exception.
 */
export async function rolloutTraffic(
  ro: Rollout,
  source: MetricsSource | null,
  timeline: readonly TimelineEntry[],
  opts: { minutes: number; now: number },
): Promise<RolloutTraffic> {
  const namespace = ro.metadata?.namespace ?? '';
  const until = Math.floor(opts.now / 1000);
  const since = until - opts.minutes * 60;
  const { step, lookback } = chartStep(opts.minutes);
  const services = versionServices(ro);
  const base = {
    namespace,
    rollout: ro.metadata?.name ?? '',
    metrics: source?.kind ?? ('none' as const),
    window: { since, until, stepSeconds: step, lookbackSeconds: lookback, recentSeconds: RECENT_SECONDS },
    marks: marksOf(timeline, since, until),
    thresholds: { errorRate: DEFAULT_JUDGE_CONFIG.errorRateMax, p95Ms: DEFAULT_JUDGE_CONFIG.p95MaxMs },
  };
  if (!source) {
    const versions = services.map((s) => ({ ...s, points: [], recent: null }));
    return {
      ...base,
      versions,
      observed: null,
      issues: ['no metrics source is configured (PROMETHEUS_URL)'],
    };
  }
  if (services.length === 0)
    return {
      ...base,
      versions: [],
      observed: null,
      issues: ['the rollout names no stable or canary service'],
    };
  const issues: string[] = [];
  const versions = await Promise.all(
    services.map(async (s): Promise<VersionTraffic> => {
      const target = { metrics: 'istio' as const, namespace, service: s.service };
      const [series, recent] = await Promise.all([
        source.series(target, since, until, step),
        source.window(target, until - RECENT_SECONDS, until),
      ]);
      if (!series.ok) issues.push(`${s.role} (${s.service}): ${series.reason}`);
      return {
        ...s,
        points: series.ok ? ratePoints(withLeadingZeros(series.samples, since, step), since, lookback) : [],
        recent: recent.ok
          ? { requests: recent.window.requests, errors: recent.window.errors, seconds: RECENT_SECONDS }
          : null,
      };
    }),
  );
  const recentOf = (role: VersionRole) => versions.find((v) => v.role === role)?.recent ?? null;
  return { ...base, versions, observed: observedShare(recentOf('canary'), recentOf('stable')), issues };
}
