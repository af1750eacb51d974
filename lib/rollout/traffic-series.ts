import { histogramQuantile } from '../slo/histogram';
import type { VersionSample } from '../slo/types';
import type { ObservedShare, RatePoint, RecentCounts } from './traffic-chart';

interface Cumulative {
  t: number;
  requests: number;
  errors: number;
  buckets: Map<number, number>;
}

const cumulative = (s: VersionSample): Cumulative => ({
  t: s.observedAt,
  requests: s.requests,
  errors: s.errors,
  buckets: new Map(s.latencyBuckets.map((b) => [b.le, b.count])),
});

/**
 * Per-interval rates from cumulative samples (each counted since `since`, oldest first), like PromQL's
 * `rate(x[lookback])`: each point looks back `lookbackSeconds` (at least one sample). An interval in which a counter
 * went down (a reset the source could not correct) yields no point rather than a negative rate.
 */
export function ratePoints(
  samples: readonly VersionSample[],
  since: number,
  lookbackSeconds: number,
): RatePoint[] {
  const points = [
    { t: since, requests: 0, errors: 0, buckets: new Map<number, number>() },
    ...samples.map(cumulative),
  ];
  const out: RatePoint[] = [];
  for (let i = 1; i < points.length; i++) {
    const now = points[i] as Cumulative;
    let j = i - 1;
    while (j > 0 && now.t - (points[j] as Cumulative).t < lookbackSeconds) j--;
    const then = points[j] as Cumulative;
    const dt = now.t - then.t;
    const requests = now.requests - then.requests;
    const errors = now.errors - then.errors;
    if (dt <= 0 || requests < 0 || errors < 0) continue;
    const buckets = [...now.buckets.entries()].map(([le, count]) => ({
      le,
      count: count - (then.buckets.get(le) ?? 0),
    }));
    const p95 = requests > 0 && buckets.length ? histogramQuantile(buckets, 0.95, requests) : null;
    out.push({
      t: now.t,
      rps: requests / dt,
      errorRate: requests > 0 ? errors / requests : null,
      p95Ms: p95 === null ? null : p95 * 1000,
    });
  }
  return out;
}

/**
 * Zero samples on the step grid before a version's first sample. A Prometheus range query has no points before a
 * series exists, and a series exists only from its first request: without these zeros the first point's rate would
 * spread those requests over the whole time since `since`.
 */
export function withLeadingZeros(
  samples: readonly VersionSample[],
  since: number,
  step: number,
): VersionSample[] {
  const first = samples[0]?.observedAt;
  if (first === undefined || step <= 0) return [...samples];
  const zeros: VersionSample[] = [];
  for (let t = since + step; t < first - step / 2; t += step)
    zeros.push({ observedAt: t, requests: 0, errors: 0, latencyBuckets: [] });
  return [...zeros, ...samples];
}

/** The canary's share of the requests both versions served in the same window; null when neither served any. */
export function observedShare(
  canary: RecentCounts | null,
  stable: RecentCounts | null,
): ObservedShare | null {
  const c = canary?.requests ?? 0;
  const s = stable?.requests ?? 0;
  if (c + s <= 0) return null;
  return {
    canaryPercent: (100 * c) / (c + s),
    requests: c + s,
    seconds: canary?.seconds ?? stable?.seconds ?? 0,
  };
}
