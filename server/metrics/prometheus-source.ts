import 'server-only';
import {
  type CounterValues,
  type Cumulative,
  cumulativeIncrements,
  fixedGrid,
  type GroupTrack,
} from '@/lib/promql/counter-increments';
import {
  bucketUnitSeconds,
  type GridRole,
  gridQueries,
  KIND_LABEL,
  PROCESS_LABELS,
  ROLE_LABEL,
  type VersionTarget,
  versionQueries,
} from '@/lib/promql/version-queries';
import type { VersionSample } from '@/lib/slo';
import { instantQuery, leOf, rangeQuery, type Sample, type Series } from './prometheus-api';
import type { MetricsSource, PairSeriesResult, SeriesResult, WindowResult } from './types';

interface Counts {
  requests: number | null;
  errors: number;
  buckets: Map<number, number>;
}

/**
 * Counts per version from the Prometheus HTTP API. Every failure (timeout, HTTP error, unexpected JSON) becomes
 * "no data", never an exception.
 * - `series` and `pairSeries` (the judge's input) read raw counters summed per source process (job, instance, pod: one
 *   Envoy or webapp process, whose series reset together) on a fixed grid and take increases per process with reset
 *   handling before summing: gateway restarts, several replicas, series that vanish or appear are counted once.
 *   Exact when every raw sample is seen at a grid point (a step no longer than the scrape interval); otherwise what a
 *   process served after its last grid point and before it restarted or vanished is not counted (never double).
 * - `window` (the chart's recent counts) reads totals at both ends of the window and subtracts them; when a counter
 *   reset happened inside the window, increase() is used.
 */
export class PrometheusSource implements MetricsSource {
  readonly kind = 'prometheus' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3000,
  ) {}

  async window(target: VersionTarget, since: number, until: number): Promise<WindowResult> {
    const q = versionQueries(target, until - since);
    try {
      const resets = await instantQuery(this.baseUrl, q.resets, until, this.timeoutMs);
      const counts =
        (resets[0]?.value ?? 0) > 0
          ? await this.counts(q.increase, until)
          : diff(await this.counts(q, until), await this.counts(q, since));
      if (counts.requests === null) return { ok: false, reason: 'no samples for this version in the window' };
      const unit = bucketUnitSeconds(target);
      return {
        ok: true,
        window: {
          requests: Math.round(counts.requests),
          errors: Math.round(counts.errors),
          buckets: [...counts.buckets.entries()]
            .map(([le, count]) => ({ le: le * unit, count: Math.round(count) }))
            .sort((a, b) => a.le - b.le),
          since,
          until,
        },
      };
    } catch (err) {
      return { ok: false, reason: this.describe(err) };
    }
  }

  /** Reset-safe: per-process increases on the grid since, since + step, … ≤ until (see gridRead). */
  async series(
    target: VersionTarget,
    since: number,
    until: number,
    stepSeconds: number,
  ): Promise<SeriesResult> {
    const step = Math.max(1, Math.round(stepSeconds));
    const points = Math.floor((until - since) / step) + 1;
    if (!(points >= 2)) return { ok: false, reason: 'no samples for this version in the window' };
    const read = await this.gridRead([{ role: 'version', target }], since, step, points, until, false);
    if (!read.ok) return read;
    const v = read.roles.get('version');
    if (!v?.seen) return { ok: false, reason: 'no samples for this version in the window' };
    return { ok: true, samples: v.samples };
  }

  /**
   * Both versions in two HTTP queries made at once: a query_range of every counter per version and source process,
   * and an instant query of the processes' values before t0 and of the newest raw samples' timestamps.
   */
  async pairSeries(
    targets: { canary: VersionTarget; stable: VersionTarget },
    since: number,
    until: number,
    stepSeconds: number,
  ): Promise<PairSeriesResult> {
    const grid = fixedGrid(since, until, stepSeconds);
    if (!grid)
      return { ok: false, reason: `no whole ${Math.round(stepSeconds)} s step between since and until` };
    const read = await this.gridRead(
      [
        { role: 'canary', target: targets.canary },
        { role: 'stable', target: targets.stable },
      ],
      grid.t0,
      grid.step,
      grid.points,
      until,
      true,
      since,
    );
    if (!read.ok) return read;
    const canary = read.roles.get('canary');
    const stable = read.roles.get('stable');
    if (!canary?.seen)
      return {
        ok: false,
        reason: `Prometheus at ${this.baseUrl}: no canary samples (${describeTarget(targets.canary)}) between ${iso(grid.t0)} and ${iso(grid.tN)}`,
      };
    const newest = stable?.seen ? [canary.newest, stable.newest] : [canary.newest];
    const newestSampleAt = newest.some((t) => t === null) ? null : Math.min(...(newest as number[]));
    return {
      ok: true,
      canary: canary.samples,
      stable: stable?.seen ? stable.samples : [],
      newestSampleAt,
      queries: read.queries,
    };
  }

  /**
   * Every counter of the given versions on the grid t0, t0 + step, … (`points` points), cumulative from t0, one sample
   * per point after t0. Per source process (PROCESS_LABELS): its value at t0 (or its last value before t0) is the
   * baseline, each increase is taken with reset handling, a vanished process keeps what it added, a process born
   * after t0 counts from zero; then the processes are summed (lib/promql/counter-increments.ts).
   */
  private async gridRead(
    versions: Array<{ role: GridRole; target: VersionTarget }>,
    t0: number,
    step: number,
    points: number,
    until: number,
    freshness: boolean,
    /** Evidence of a process starts at its first raw sample taken at or after this time (default t0). */
    since = t0,
  ): Promise<
    | {
        ok: true;
        roles: Map<GridRole, { samples: VersionSample[]; seen: boolean; newest: number | null }>;
        queries: number;
      }
    | { ok: false; reason: string }
  > {
    let q: ReturnType<typeof gridQueries>;
    try {
      q = gridQueries(versions, { t0, freshness });
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
    const end = t0 + (points - 1) * step;
    const [range, instant] = await Promise.allSettled([
      rangeQuery(this.baseUrl, q.range, t0, end, step, this.timeoutMs),
      instantQuery(this.baseUrl, q.instant, until, this.timeoutMs),
    ]);
    const failures: string[] = [];
    if (range.status === 'rejected')
      failures.push(`counters over the grid (query_range): ${(range.reason as Error).message}`);
    if (instant.status === 'rejected')
      failures.push(`baselines and newest samples (query): ${(instant.reason as Error).message}`);
    if (range.status === 'rejected' || instant.status === 'rejected')
      return { ok: false, reason: `Prometheus at ${this.baseUrl}: ${failures.join('; ')}` };
    const roles = new Map<GridRole, { samples: VersionSample[]; seen: boolean; newest: number | null }>();
    for (const { role, target } of versions) {
      const groups = groupTracks(
        range.value.filter((s) => s.metric[ROLE_LABEL] === role),
        instant.value.filter((s) => s.metric[ROLE_LABEL] === role),
        t0,
        step,
        points,
        since,
      );
      const seen = groups.some((g) => g.points.some((p) => p !== undefined));
      const times = instant.value.filter(
        (s) => s.metric[ROLE_LABEL] === role && ['newest', 'seen'].includes(s.metric[KIND_LABEL] ?? ''),
      );
      const newest = times.length > 0 ? Math.max(...times.map((s) => s.value)) : null;
      const unit = bucketUnitSeconds(target);
      const samples = cumulativeIncrements(groups, points).map((c, i) =>
        toSample(c, t0 + (i + 1) * step, unit),
      );
      roles.set(role, { samples, seen, newest: newest !== null && Number.isFinite(newest) ? newest : null });
    }
    return { ok: true, roles, queries: 2 };
  }

  private async counts(
    q: { requests: string; errors: string; buckets: string },
    time: number,
  ): Promise<Counts> {
    const [r, e, b] = await Promise.all([
      instantQuery(this.baseUrl, q.requests, time, this.timeoutMs),
      instantQuery(this.baseUrl, q.errors, time, this.timeoutMs),
      instantQuery(this.baseUrl, q.buckets, time, this.timeoutMs),
    ]);
    const byLe = new Map<number, number>();
    for (const s of b) {
      const le = leOf(s.metric);
      if (!Number.isNaN(le)) byLe.set(le, s.value);
    }
    return { requests: r[0]?.value ?? null, errors: e[0]?.value ?? 0, buckets: byLe };
  }

  private describe(err: unknown): string {
    return `Prometheus at ${this.baseUrl}: ${(err as Error).message}`;
  }
}

/** Counter totals at `until` minus totals at `since` (a version absent at `since` started from zero). */
function diff(now: Counts, then: Counts): Counts {
  if (now.requests === null) return now;
  const buckets = new Map<number, number>();
  for (const [le, v] of now.buckets) buckets.set(le, Math.max(0, v - (then.buckets.get(le) ?? 0)));
  return {
    requests: Math.max(0, now.requests - (then.requests ?? 0)),
    errors: Math.max(0, now.errors - then.errors),
    buckets,
  };
}

const iso = (t: number) => new Date(t * 1000).toISOString();

function describeTarget(t: VersionTarget): string {
  return t.metrics === 'istio'
    ? `service ${t.namespace}/${t.service}`
    : `version ${t.version}${t.namespace ? ` in ${t.namespace}` : ''}`;
}

type MutableValues = { requests: number; errors: number; buckets: Map<number, number> };

function processKey(metric: Record<string, string>): string {
  return JSON.stringify(PROCESS_LABELS.map((l) => metric[l] ?? ''));
}

function add(v: MutableValues, metric: Record<string, string>, value: number): void {
  if (!Number.isFinite(value)) return;
  const kind = metric[KIND_LABEL];
  if (kind === 'requests') v.requests += value;
  else if (kind === 'errors') v.errors += value;
  else if (kind === 'bucket') {
    const le = leOf(metric);
    if (!Number.isNaN(le)) v.buckets.set(le, (v.buckets.get(le) ?? 0) + value);
  }
}

const empty = (): MutableValues => ({ requests: 0, errors: 0, buckets: new Map() });

/** One track per source process from the range result (grid points) and the instant result (values before t0). */
function groupTracks(
  range: readonly Series[],
  instant: readonly Sample[],
  t0: number,
  step: number,
  points: number,
  since: number,
): GroupTrack[] {
  const tracks = new Map<
    string,
    { points: Array<MutableValues | undefined>; ts: Array<number | undefined>; baseline?: MutableValues }
  >();
  const track = (metric: Record<string, string>) => {
    const key = processKey(metric);
    let t = tracks.get(key);
    if (!t) {
      t = {
        points: new Array<MutableValues | undefined>(points).fill(undefined),
        ts: new Array<number | undefined>(points).fill(undefined),
      };
      tracks.set(key, t);
    }
    return t;
  };
  for (const s of range) {
    const t = track(s.metric);
    const isTs = s.metric[KIND_LABEL] === 'ts';
    for (const p of s.points) {
      const i = Math.round((p.t - t0) / step);
      if (i < 0 || i >= points) continue;
      if (isTs) {
        t.ts[i] = p.v;
        continue;
      }
      const v = t.points[i] ?? empty();
      t.points[i] = v;
      add(v, s.metric, p.v);
    }
  }
  for (const s of instant) {
    if (!['requests', 'errors', 'bucket'].includes(s.metric[KIND_LABEL] ?? '')) continue;
    const t = track(s.metric);
    t.baseline ??= empty();
    add(t.baseline, s.metric, s.value);
  }
  return [...tracks.values()].map((t) => startAtSince(t, since));
}

/**
 * A process that already had samples before `since` (a baseline, or a grid point backed by an older sample) starts its
 * evidence at its first sample taken at or after `since`: the value behind t0 may be a scrape from before `since`, and
 * what was served between that scrape and `since` (another revision's traffic on a shared service) must not count.
 * Requests between `since` and that first sample are lost instead (never counted for the wrong revision). A process
 * with no sample before `since` was born after it and counts from zero.
 */
function startAtSince(
  t: { points: Array<MutableValues | undefined>; ts: Array<number | undefined>; baseline?: MutableValues },
  since: number,
): GroupTrack {
  const known = t.ts.some((x) => x !== undefined);
  const older = t.ts.some((x) => x !== undefined && x < since);
  if (known && (t.baseline || older)) {
    const first = t.ts.findIndex((x, i) => x !== undefined && x >= since && t.points[i] !== undefined);
    if (first > 0) {
      const base = t.points[first] as MutableValues;
      for (let i = 0; i < first; i++) t.points[i] = undefined;
      return { points: t.points as ReadonlyArray<CounterValues | undefined>, baseline: base };
    }
    if (first < 0) {
      // no sample after `since` yet: everything seen so far is before it
      const last = [...t.points].reverse().find((p) => p !== undefined) ?? t.baseline;
      return {
        points: t.points.map(() => undefined) as ReadonlyArray<CounterValues | undefined>,
        ...(last ? { baseline: last } : {}),
      };
    }
  }
  return {
    points: t.points as ReadonlyArray<CounterValues | undefined>,
    ...(t.baseline ? { baseline: t.baseline } : {}),
  };
}

function toSample(c: Cumulative, observedAt: number, unit: number): VersionSample {
  const requests = Math.max(0, Math.round(c.requests));
  return {
    observedAt,
    requests,
    errors: Math.min(requests, Math.max(0, Math.round(c.errors))),
    latencyBuckets: [...c.buckets.entries()]
      .map(([le, count]) => ({ le: le * unit, count: Math.max(0, Math.round(count)) }))
      .sort((a, b) => a.le - b.le),
  };
}
