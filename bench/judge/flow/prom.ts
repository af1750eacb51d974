/**
 * Reading the simulated Prometheus two ways:
 * - `ServerReader`: what the control center hands the judge, the way server/metrics/prometheus-source.ts
 *   (`pairSeries`) and server/slo/evaluate.ts read it: a grid step from evaluate.ts' ladder (5 s, coarser once the
 *   evidence is older than 10 min: at most ~120 points), the grid on whole multiples of the step from the evidence
 *   start, per source process (gateway replica) its value at each grid point as a range query sees it (the newest
 *   raw sample within 5 min, none after a failed scrape's staleness marker), its value at or before t0 as baseline,
 *   and the per-process increments summed by lib/promql/counter-increments.ts `cumulativeIncrements` (the server's
 *   own code). The newest raw sample time is the older of the two versions' newest.
 * - `successRateQuery` / `histogramQuantileQuery`: PromQL `rate(x[1m])` (Prometheus' extrapolatedRate) per series,
 *   summed, as Argo's and Flagger's classic analyses query it.
 */
import {
  type CounterValues,
  cumulativeIncrements,
  type GroupTrack,
  groupIncrement,
} from '../../../lib/promql/counter-increments';
import type { LatencyBucket, VersionSample } from '../../../lib/slo';
import { histogramQuantile } from '../../../lib/slo';
import {
  ERR,
  FIRST_BUCKET,
  lastAtOrBefore,
  OK,
  offsetOf,
  type Scrape,
  scrapeTime,
  type VersionName,
  type World,
} from './world';

/**
 * The judge reads only the buckets next to its threshold (lib/slo/histogram.ts `slowCount`); passing the ones from
 * 100 to 1000 ms (and +Inf) gives it the same decisions as the full list the server passes, at a fraction of the cost.
 */
export const JUDGE_BUCKET_RANGE_MS = [100, 1000] as const;

/** Grid steps of server/slo/evaluate.ts (`STEP_LADDER`, `stepFor`). */
export const STEP_LADDER = [5, 10, 15, 20, 30, 60, 120, 300] as const;
export function stepFor(seconds: number): number {
  const wanted = Math.ceil(seconds / 120);
  return STEP_LADDER.find((s) => s >= wanted) ?? 300;
}

/** server/metrics/types.ts `pairGrid`: whole multiples of the step inside [since, until]; null with fewer than two. */
export function pairGrid(since: number, until: number, stepSeconds: number) {
  const step = Math.max(1, Math.round(stepSeconds));
  const t0 = Math.ceil(since / step) * step;
  const tN = Math.floor(until / step) * step;
  if (!Number.isFinite(t0) || !Number.isFinite(tN) || tN <= t0) return null;
  return { t0, tN, step, points: Math.round((tN - t0) / step) + 1 };
}

/** Prometheus' default lookback for instant and range queries, and the baseline lookback of the grid query. */
export const LOOKBACK_SECONDS = 300;
export const BASELINE_LOOKBACK_SECONDS = 600;

export interface PairRead {
  canary: VersionSample[];
  stable: VersionSample[];
  newestSampleAt: number | null;
}

interface GridState {
  t0: number;
  step: number;
  /** Grid points consumed (t0 included). */
  points: number;
  /** Per process: its last present value (the baseline until it has a point). */
  last: CounterValues[];
  total: { requests: number; errors: number; buckets: Map<number, number> };
  samples: VersionSample[];
  seen: boolean;
}

export class ServerReader {
  private readonly bucketIndexes: number[];
  private readonly grids = new Map<string, GridState>();

  constructor(private readonly world: World) {
    this.bucketIndexes = world.layout.bounds
      .map((b, i) => (b >= JUDGE_BUCKET_RANGE_MS[0] && b <= JUDGE_BUCKET_RANGE_MS[1] ? i : -1))
      .filter((i) => i >= 0);
  }

  /** Both versions since `since` at `now`; null where the server answers ok: false (no grid yet, no canary series). */
  read(since: number, now: number): PairRead | null {
    const grid = pairGrid(since, now, stepFor(now - since));
    if (!grid) return null;
    const canary = this.incremental('canary', grid);
    const stable = this.incremental('stable', grid);
    if (!canary.seen) return null;
    const newest = stable.seen
      ? [this.newest('canary', now), this.newest('stable', now)]
      : [this.newest('canary', now)];
    const newestSampleAt = newest.some((t) => t === null) ? null : Math.min(...(newest as number[]));
    return { canary: canary.samples, stable: stable.seen ? stable.samples : [], newestSampleAt };
  }

  private values(s: Scrape, o: number): CounterValues | undefined {
    const ok = s.raw[o + OK] as number;
    const err = s.raw[o + ERR] as number;
    if (ok + err <= 0) return undefined;
    const buckets = new Map<number, number>();
    for (const k of this.bucketIndexes)
      buckets.set(this.world.layout.bounds[k] as number, s.raw[o + FIRST_BUCKET + k] as number);
    return { requests: ok + err, errors: err, buckets };
  }

  /** A range query's value of one process at g: its newest sample within the lookback, unless a stale marker is newer. */
  private at(r: number, o: number, g: number): CounterValues | undefined {
    const list = this.world.scrapes[r] as Scrape[];
    const i = lastAtOrBefore(list, g, scrapeTime);
    const s = list[i];
    if (!s || g - s.t > LOOKBACK_SECONDS) return undefined;
    const failed = this.world.failedScrapes[r] as number[];
    const f = failed[lastAtOrBefore(failed, g, (x) => x)];
    if (f !== undefined && f > s.t) return undefined;
    return this.values(s, o);
  }

  /** `last_over_time(x[600s] @ t0)`: the newest sample at or before t0 (stale markers do not hide it). */
  private baseline(r: number, o: number, t0: number): CounterValues | undefined {
    const list = this.world.scrapes[r] as Scrape[];
    for (let i = lastAtOrBefore(list, t0, scrapeTime); i >= 0; i--) {
      const s = list[i] as Scrape;
      if (t0 - s.t > BASELINE_LOOKBACK_SECONDS) return undefined;
      const v = this.values(s, o);
      if (v) return v;
    }
    return undefined;
  }

  /**
   * The same samples as `full` (the server's cumulativeIncrements over whole tracks), built point by point with its
   * per-process step `groupIncrement` and kept between calls: a grid point in the past never changes.
   */
  private incremental(
    v: VersionName,
    grid: { t0: number; step: number; points: number },
  ): { samples: VersionSample[]; seen: boolean } {
    const o = offsetOf(this.world.layout, v);
    const key = `${v}|${grid.t0}|${grid.step}`;
    let st = this.grids.get(key);
    if (!st) {
      const last: CounterValues[] = [];
      let seen = false;
      for (let r = 0; r < this.world.scrapes.length; r++) {
        const first = this.at(r, o, grid.t0);
        if (first) seen = true;
        last.push(first ?? this.baseline(r, o, grid.t0) ?? ZERO);
      }
      st = {
        t0: grid.t0,
        step: grid.step,
        points: 1,
        last,
        total: { requests: 0, errors: 0, buckets: new Map() },
        samples: [],
        seen,
      };
      this.grids.set(key, st);
    }
    for (; st.points < grid.points; st.points++) {
      const g = st.t0 + st.points * st.step;
      for (let r = 0; r < st.last.length; r++) {
        const cur = this.at(r, o, g);
        if (!cur) continue;
        st.seen = true;
        const inc = groupIncrement(st.last[r] as CounterValues, cur);
        st.total.requests += inc.requests;
        st.total.errors += inc.errors;
        for (const [le, x] of inc.buckets) st.total.buckets.set(le, (st.total.buckets.get(le) ?? 0) + x);
        st.last[r] = cur;
      }
      st.samples.push(toSample(st.total, g, this.bucketLes()));
    }
    return { samples: st.samples, seen: st.seen };
  }

  private bucketLes(): number[] {
    return this.bucketIndexes.map((k) => this.world.layout.bounds[k] as number);
  }

  /** The server's way in one go: every process's whole track, then cumulativeIncrements (used to check `incremental`). */
  full(v: VersionName, since: number, now: number): VersionSample[] {
    const grid = pairGrid(since, now, stepFor(now - since));
    return grid ? this.version(v, grid).samples : [];
  }

  private version(
    v: VersionName,
    grid: { t0: number; step: number; points: number },
  ): { samples: VersionSample[]; seen: boolean } {
    const o = offsetOf(this.world.layout, v);
    const groups: GroupTrack[] = [];
    for (let r = 0; r < this.world.scrapes.length; r++) {
      const points: (CounterValues | undefined)[] = [];
      for (let i = 0; i < grid.points; i++) points.push(this.at(r, o, grid.t0 + i * grid.step));
      const baseline = this.baseline(r, o, grid.t0);
      if (points.every((p) => p === undefined) && !baseline) continue;
      groups.push({ points, ...(baseline ? { baseline } : {}) });
    }
    const seen = groups.some((g) => g.points.some((p) => p !== undefined));
    const samples = cumulativeIncrements(groups, grid.points).map((c, i) =>
      toSample(c, grid.t0 + (i + 1) * grid.step, this.bucketLes()),
    );
    return { samples, seen };
  }

  /** Newest raw sample of the version's request series within 5 min (behind stale markers), over the processes. */
  private newest(v: VersionName, now: number): number | null {
    const o = offsetOf(this.world.layout, v);
    let newest: number | null = null;
    for (const list of this.world.scrapes) {
      for (let i = lastAtOrBefore(list, now, scrapeTime); i >= 0; i--) {
        const s = list[i] as Scrape;
        if (now - s.t > LOOKBACK_SECONDS) break;
        if ((s.raw[o + OK] as number) + (s.raw[o + ERR] as number) > 0) {
          if (newest === null || s.t > newest) newest = s.t;
          break;
        }
      }
    }
    return newest;
  }
}

const ZERO: CounterValues = { requests: 0, errors: 0, buckets: new Map() };

/** server/metrics/prometheus-source.ts `toSample`, plus the +Inf bucket (the histogram count). */
function toSample(
  c: { requests: number; errors: number; buckets: ReadonlyMap<number, number> },
  observedAt: number,
  lesMs: readonly number[],
): VersionSample {
  const requests = Math.max(0, Math.round(c.requests));
  const latencyBuckets: LatencyBucket[] = lesMs.map((le) => ({
    le: le / 1000,
    count: Math.max(0, Math.round(c.buckets.get(le) ?? 0)),
  }));
  latencyBuckets.push({ le: Number.POSITIVE_INFINITY, count: requests });
  return {
    observedAt,
    requests,
    errors: Math.min(requests, Math.max(0, Math.round(c.errors))),
    latencyBuckets,
  };
}

/** Whether a series exists in a scrape: a 5xx series from its first 5xx, the others from the first request. */
function exists(raw: Float64Array, o: number, k: number): boolean {
  if (k === ERR) return (raw[o + ERR] as number) > 0;
  if (k === OK) return (raw[o + OK] as number) > 0;
  return (raw[o + OK] as number) + (raw[o + ERR] as number) > 0;
}

/**
 * Prometheus' `rate(series[range])` at time t for one series of one replica (extrapolatedRate, Prometheus 2.x:
 * samples in [t − range, t]), or null when the series has fewer than two samples in the range.
 */
export function seriesRate(
  list: readonly Scrape[],
  o: number,
  k: number,
  t: number,
  rangeSeconds: number,
): number | null {
  const start = t - rangeSeconds;
  let last = lastAtOrBefore(list, t, scrapeTime);
  const pts: Scrape[] = [];
  while (last >= 0) {
    const s = list[last] as Scrape;
    if (s.t < start) break;
    // A series that is absent in a scrape (not created yet, or gone with a restarted process) has no sample there.
    if (exists(s.raw, o, k)) pts.push(s);
    last--;
  }
  if (pts.length < 2) return null;
  pts.reverse();
  const first = pts[0] as Scrape;
  const lastS = pts[pts.length - 1] as Scrape;
  let result = (lastS.raw[o + k] as number) - (first.raw[o + k] as number);
  for (let i = 1; i < pts.length; i++) {
    const prev = (pts[i - 1] as Scrape).raw[o + k] as number;
    const cur = (pts[i] as Scrape).raw[o + k] as number;
    if (cur < prev) result += prev;
  }
  const sampled = lastS.t - first.t;
  const avg = sampled / (pts.length - 1);
  let toStart = first.t - start;
  const toEnd = t - lastS.t;
  const firstValue = first.raw[o + k] as number;
  if (result > 0 && firstValue >= 0) {
    const toZero = sampled * (firstValue / result);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = avg * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : avg / 2;
  interval += toEnd < threshold ? toEnd : avg / 2;
  return (result * (interval / sampled)) / rangeSeconds;
}

/** sum(rate(series[range])) over the replicas; null when no series has a rate (an empty PromQL result). */
export function summedRate(world: World, v: VersionName, k: number, t: number, range = 60): number | null {
  const o = offsetOf(world.layout, v);
  let sum: number | null = null;
  for (const list of world.scrapes) {
    const r = seriesRate(list, o, k, t, range);
    if (r !== null) sum = (sum ?? 0) + r;
  }
  return sum;
}

/**
 * `(sum(rate(2xx[1m])) or vector(0)) / sum(rate(all[1m]))`: the success rate as Argo's and Flagger's Istio
 * queries compute it; null for an empty result, NaN when no request in the window.
 */
export function successRateQuery(world: World, v: VersionName, t: number, range = 60): number | null {
  const ok = summedRate(world, v, OK, t, range);
  const err = summedRate(world, v, ERR, t, range);
  if (ok === null && err === null) return null;
  const den = (ok ?? 0) + (err ?? 0);
  return den > 0 ? (ok ?? 0) / den : Number.NaN;
}

/** `histogram_quantile(q, sum by (le) (rate(bucket[1m])))` in ms; null for an empty result, NaN without requests. */
export function histogramQuantileQuery(
  world: World,
  v: VersionName,
  q: number,
  t: number,
  range = 60,
): number | null {
  const bounds = world.layout.bounds;
  const buckets: LatencyBucket[] = [];
  let any = false;
  for (let b = 0; b <= bounds.length; b++) {
    const r = summedRate(world, v, FIRST_BUCKET + b, t, range);
    if (r !== null) any = true;
    buckets.push({ le: b < bounds.length ? (bounds[b] as number) : Number.POSITIVE_INFINITY, count: r ?? 0 });
  }
  if (!any) return null;
  const total = buckets[bounds.length]?.count ?? 0;
  if (!(total > 0)) return Number.NaN;
  for (let i = 1; i < buckets.length; i++) {
    const prev = buckets[i - 1] as LatencyBucket;
    const cur = buckets[i] as LatencyBucket;
    if (cur.count < prev.count) cur.count = prev.count;
  }
  return histogramQuantile(buckets, q, total);
}
