import type { VersionTarget } from '@/lib/promql/version-queries';
import type { VersionSample } from '@/lib/slo';

/** Cumulative counts of one version over a window, as the judge consumes them. Latency buckets are in seconds. */
export interface VersionWindow {
  requests: number;
  errors: number;
  buckets: Array<{ le: number; count: number }>;
  /** Unix seconds of the window's start and end. */
  since: number;
  until: number;
}

export type WindowResult = { ok: true; window: VersionWindow } | { ok: false; reason: string };

/** Scrapes of one version, each cumulative since `since`, oldest first. */
export type SeriesResult = { ok: true; samples: VersionSample[] } | { ok: false; reason: string };

/**
 * Both versions of one canary on one fixed grid: t0 = ceil(since / step) * step, then every step up to
 * floor(until / step) * step. One sample per grid point after t0 (observedAt = the grid time), cumulative from t0,
 * canary and stable at the same times. Counters are summed over source processes after per-process reset handling,
 * so samples never go down and errors never exceed requests; exact when every raw sample is seen at a grid point
 * (step no longer than the scrape interval), else what a process served between its last grid point and its restart
 * or disappearance is missed (never counted twice). `stable` is empty when the stable version had no series
 * in the window (the judge then reports "no stable scrapes"); a canary without series is `ok: false`.
 * `newestSampleAt` is the time of the newest raw sample (the older of the two versions' newest), from the samples' own
 * timestamps; null when there is none in the last 5 minutes (treat as stale). `queries`: HTTP requests this call made.
 */
export type PairSeriesResult =
  | {
      ok: true;
      canary: VersionSample[];
      stable: VersionSample[];
      newestSampleAt: number | null;
      queries: number;
    }
  | { ok: false; reason: string };

/** Where metrics come from: Prometheus in a cluster, Prometheus or the lab's own window endpoint in the lab. */
export interface MetricsSource {
  readonly kind: 'prometheus' | 'window-endpoint';
  /** Counts for one version between `since` and `until` (unix seconds). Never throws: failures are "no data". */
  window(target: VersionTarget, since: number, until: number): Promise<WindowResult>;
  /** Cumulative counts at every `stepSeconds` from `since` to `until`. Never throws. */
  series(target: VersionTarget, since: number, until: number, stepSeconds: number): Promise<SeriesResult>;
  /** Both versions of one canary on one fixed time grid, read with as few queries as possible (target: 1). Never throws. */
  pairSeries(
    targets: { canary: VersionTarget; stable: VersionTarget },
    since: number,
    until: number,
    stepSeconds: number,
  ): Promise<PairSeriesResult>;
}
