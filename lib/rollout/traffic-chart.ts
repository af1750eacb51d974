import type { TimelineEntry } from './timeline';

// What the rollout page's charts, traffic panel and topology get from GET /api/v1/rollouts/{ns}/{name}/traffic, and
// the pure helpers the browser needs to draw them. Kept apart from traffic-series.ts (the server's rate math, which
// pulls in the statistics code) so that the page's JavaScript stays small.

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
