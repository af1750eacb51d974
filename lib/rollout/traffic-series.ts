import { histogramQuantile, type VersionSample } from '../slo';
import type { TimelineEntry } from './timeline';

/** One chart point of one version: rates over the look-back window ending at `t` (unix seconds). */
export interface RatePoint {
  t: number;
  rps: number;
  /** Errors / requests in the window, 0–1; null without requests. */
  errorRate: number | null;
  /** Histogram P95 in milliseconds; null without requests or buckets. */
  p95Ms: number | null;
}

/** Requests and errors of one version over a recent window (e.g. the last 60 s). */
export interface RecentCounts {
  requests: number;
  errors: number;
  seconds: number;
}

/** The canary's observed share of the traffic both versions served in the same window. */
export interface ObservedShare {
  /** Percent, 0–100. */
  canaryPercent: number;
  requests: number;
  seconds: number;
}

export type VersionRole = 'stable' | 'canary';

export interface VersionTraffic {
  role: VersionRole;
  service: string;
  points: RatePoint[];
  /** Requests and errors over the last `recentSeconds`; null when the source had no data. */
  recent: RecentCounts | null;
}

/** A vertical mark on the charts: a step change or a phase change, from the decision timeline. */
export interface TrafficMark {
  t: number;
  kind: TimelineEntry['kind'];
  label: string;
}

/** What the rollout page's charts, traffic panel and topology show: rates per version over time. */
export interface RolloutTraffic {
  namespace: string;
  rollout: string;
  metrics: 'prometheus' | 'window-endpoint' | 'none';
  window: {
    since: number;
    until: number;
    stepSeconds: number;
    lookbackSeconds: number;
    recentSeconds: number;
  };
  versions: VersionTraffic[];
  observed: ObservedShare | null;
  marks: TrafficMark[];
  thresholds: { errorRate: number; p95Ms: number };
  issues: string[];
}

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

/** One row per instant for the charts: both versions' rates side by side (missing values stay undefined). */
export interface ChartRow {
  t: number;
  stableRps?: number;
  canaryRps?: number;
  /** Percent. */
  stableErrors?: number;
  canaryErrors?: number;
  stableP95?: number;
  canaryP95?: number;
}

/** Joins the versions' points by time, oldest first, with error rates in percent. */
export function chartRows(versions: readonly VersionTraffic[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const v of versions) {
    for (const p of v.points) {
      const row = rows.get(p.t) ?? { t: p.t };
      row[`${v.role}Rps`] = p.rps;
      if (p.errorRate !== null) row[`${v.role}Errors`] = p.errorRate * 100;
      if (p.p95Ms !== null) row[`${v.role}P95`] = p.p95Ms;
      rows.set(p.t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** The newest point of a version that had traffic, for the text beside a chart. */
export function latestPoint(versions: readonly VersionTraffic[], role: VersionRole): RatePoint | null {
  const pts = versions.find((v) => v.role === role)?.points ?? [];
  return pts.at(-1) ?? null;
}
