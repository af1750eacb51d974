/**
 * Counter increments per source process, summed: what Prometheus' `increase()` does per series, done on a fixed
 * grid over groups of series that reset together (one Envoy or webapp process: one scrape target).
 */

/** Counter totals of one group (or their sum) at one instant. `buckets`: cumulative histogram counts by `le`. */
export interface CounterValues {
  requests: number;
  errors: number;
  buckets: ReadonlyMap<number, number>;
}

/** One group's values on the grid: `points[0]` at t0 (the baseline), then one per step; undefined where absent. */
export interface GroupTrack {
  points: ReadonlyArray<CounterValues | undefined>;
  /**
   * The group's last value before t0, used only when it has no point at t0 (a failed scrape or a gap at t0). Without
   * either, the group is new: it started after t0 and its whole first value counts.
   */
  baseline?: CounterValues;
}

export interface Cumulative {
  requests: number;
  errors: number;
  buckets: Map<number, number>;
}

/**
 * A fixed time grid: t0 = ceil(since / step) * step, then every step up to floor(until / step) * step (whole multiples
 * of the step only, so two reads agree on the windows they share). Null when it has fewer than two points.
 */
export function fixedGrid(
  since: number,
  until: number,
  stepSeconds: number,
): { t0: number; tN: number; step: number; points: number } | null {
  const step = Math.max(1, Math.round(stepSeconds));
  const t0 = Math.ceil(since / step) * step;
  const tN = Math.floor(until / step) * step;
  if (!Number.isFinite(t0) || !Number.isFinite(tN) || tN <= t0) return null;
  return { t0, tN, step, points: Math.round((tN - t0) / step) + 1 };
}

const ZERO: CounterValues = { requests: 0, errors: 0, buckets: new Map() };

/** True when any counter of the group went down: the process restarted, so all of its counters started again. */
export function isReset(prev: CounterValues, cur: CounterValues): boolean {
  if (cur.requests < prev.requests || cur.errors < prev.errors) return true;
  for (const [le, v] of prev.buckets) if ((cur.buckets.get(le) ?? 0) < v) return true;
  return false;
}

/**
 * The increase of one group from `prev` to `cur`: `cur - prev`, or all of `cur` after a reset (any counter of the
 * group went down). Never negative, and errors never exceed requests.
 */
export function groupIncrement(prev: CounterValues, cur: CounterValues): Cumulative {
  const reset = isReset(prev, cur);
  const base = reset ? ZERO : prev;
  const requests = Math.max(0, cur.requests - base.requests);
  const errors = Math.min(requests, Math.max(0, cur.errors - base.errors));
  const buckets = new Map<number, number>();
  for (const [le, v] of cur.buckets) buckets.set(le, Math.max(0, v - (base.buckets.get(le) ?? 0)));
  return { requests, errors, buckets };
}

/**
 * Sums over groups of their increments since t0, cumulative, one entry per grid point after t0 (`points.length - 1`
 * entries for `points.length` grid points). Per group:
 * - the baseline is its value at t0, else its `baseline`, else zero (a group born after t0 counts in full);
 * - each present point adds its increment from the group's last present value (a gap just defers it; a reset, any
 *   counter going down, counts the new value in full);
 * - a group that disappears stops contributing and keeps what it added.
 * Every bucket `le` seen in any group appears in every entry (zero until it has counts).
 */
export function cumulativeIncrements(groups: readonly GroupTrack[], gridPoints: number): Cumulative[] {
  const les = new Set<number>();
  for (const g of groups) for (const p of g.points) if (p) for (const le of p.buckets.keys()) les.add(le);
  const sorted = [...les].sort((a, b) => a - b);
  const fresh = (): Cumulative => ({ requests: 0, errors: 0, buckets: new Map(sorted.map((le) => [le, 0])) });
  /** What all groups added between grid point i - 1 and i (index i - 1). */
  const added: Cumulative[] = [];
  for (let i = 1; i < gridPoints; i++) added.push(fresh());
  for (const g of groups) {
    let last = g.points[0] ?? g.baseline ?? ZERO;
    for (let i = 1; i < gridPoints; i++) {
      const cur = g.points[i];
      if (!cur) continue;
      const inc = groupIncrement(last, cur);
      const out = added[i - 1] as Cumulative;
      out.requests += inc.requests;
      out.errors += inc.errors;
      for (const [le, v] of inc.buckets) out.buckets.set(le, (out.buckets.get(le) ?? 0) + v);
      last = cur;
    }
  }
  const total = fresh();
  return added.map((a) => {
    total.requests += a.requests;
    total.errors += a.errors;
    for (const [le, v] of a.buckets) total.buckets.set(le, (total.buckets.get(le) ?? 0) + v);
    return { requests: total.requests, errors: total.errors, buckets: new Map(total.buckets) };
  });
}
