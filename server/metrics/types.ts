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

/** Where metrics come from: Prometheus in a cluster, Prometheus or the lab's own window endpoint in the lab. */
export interface MetricsSource {
  readonly kind: 'prometheus' | 'window-endpoint';
  /** Counts for one version between `since` and `until` (unix seconds). Never throws: failures are "no data". */
  window(target: VersionTarget, since: number, until: number): Promise<WindowResult>;
  /** Cumulative counts at every `stepSeconds` from `since` to `until`. Never throws. */
  series(target: VersionTarget, since: number, until: number, stepSeconds: number): Promise<SeriesResult>;
}
