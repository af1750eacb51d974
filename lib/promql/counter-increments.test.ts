import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CounterValues,
  cumulativeIncrements,
  fixedGrid,
  type GroupTrack,
  groupIncrement,
} from './counter-increments';

const LES = [0.1, 0.25, 0.5, Number.POSITIVE_INFINITY];

/** Counter values from totals: `perBucket[k]` requests took at most LES[k] and more than LES[k - 1]. */
function values(requests: number, errors: number, perBucket: number[] = [requests, 0, 0, 0]): CounterValues {
  let acc = 0;
  return {
    requests,
    errors,
    buckets: new Map(
      LES.map((le, k) => {
        acc += perBucket[k] ?? 0;
        return [le, le === Number.POSITIVE_INFINITY ? requests : acc];
      }),
    ),
  };
}

describe('fixedGrid', () => {
  it('keeps whole multiples of the step inside [since, until], so two reads share their grid points', () => {
    expect(fixedGrid(1003.2, 1031, 5)).toEqual({ t0: 1005, tN: 1030, step: 5, points: 6 });
    expect(fixedGrid(1000, 1030, 5)).toEqual({ t0: 1000, tN: 1030, step: 5, points: 7 });
    expect(fixedGrid(1001, 1004, 5)).toBeNull();
    expect(fixedGrid(1001, 1005, 5)).toBeNull();
  });
});

describe('groupIncrement', () => {
  it('subtracts, or takes the whole value when any counter of the group went down', () => {
    expect(groupIncrement(values(100, 10), values(130, 12)).requests).toBe(30);
    const reset = groupIncrement(values(100, 10), values(7, 1));
    expect([reset.requests, reset.errors, reset.buckets.get(0.1)]).toEqual([7, 1, 7]);
    // only the errors went down (a 5xx series of a restarted process not seen yet): still a reset of the group
    const errorsOnly = groupIncrement(values(100, 10), values(140, 0));
    expect([errorsOnly.requests, errorsOnly.errors]).toEqual([140, 0]);
  });
});

describe('cumulativeIncrements', () => {
  it('handles a reset, a vanished group, a group born after t0 and a baseline from before t0', () => {
    const groups: GroupTrack[] = [
      { points: [values(1000, 10), values(1010, 11), values(3, 1), values(5, 1)] }, // restarts before point 2
      { points: [values(500, 5), values(520, 6), undefined, undefined] }, // vanishes after point 1
      { points: [undefined, undefined, values(4, 0), values(9, 2)] }, // born after t0
      { points: [undefined, values(2010, 20), values(2012, 20), undefined], baseline: values(2000, 20) },
    ];
    const out = cumulativeIncrements(groups, 4);
    expect(out.map((c) => c.requests)).toEqual([10 + 20 + 10, 40 + 3 + 4 + 2, 49 + 2 + 5]);
    expect(out.map((c) => c.errors)).toEqual([1 + 1, 2 + 1, 3 + 2]);
    expect(out.map((c) => c.buckets.get(Number.POSITIVE_INFINITY))).toEqual(out.map((c) => c.requests));
  });

  it('is empty when there is no step after t0', () => {
    expect(cumulativeIncrements([{ points: [values(1, 0)] }], 1)).toEqual([]);
    expect(cumulativeIncrements([], 0)).toEqual([]);
  });

  /**
   * A model of source processes: each group has a history at t0 (or is born after it), serves requests in each grid
   * interval, may restart at the start of an interval (its counters start again from zero) and may be missing from
   * any grid point (a failed scrape, a scaled-down replica). What was served is observable once a later present
   * point of the same process shows it. The sum of the per-group increments must equal exactly what was served and
   * observed, at every grid point.
   */
  const interval = fc.record({
    perBucket: fc.array(fc.nat(6), { minLength: 4, maxLength: 4 }),
    errorShare: fc.double({ min: 0, max: 1, noNaN: true }),
    restart: fc.boolean(),
    present: fc.boolean(),
  });
  const group = fc.record({
    history: fc.option(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 4, maxLength: 4 }), {
      nil: undefined,
    }),
    bornAt: fc.integer({ min: 1, max: 8 }),
    presentAtT0: fc.boolean(),
    intervals: fc.array(interval, { minLength: 8, maxLength: 8 }),
  });

  it('sums to exactly what was served, whatever the resets, gaps and births (property)', () => {
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 2, max: 9 }),
        (gs, n) => {
          const { tracks, truth, detectable } = simulate(gs, n);
          fc.pre(detectable);
          const out = cumulativeIncrements(tracks, n);
          expect(out.length).toBe(n - 1);
          out.forEach((c, idx) => {
            const t = truth[idx + 1] as (typeof truth)[number];
            const want = values(t.requests, t.errors, t.perBucket);
            expect(c.requests).toBe(want.requests);
            expect(c.errors).toBe(want.errors);
            if (c.buckets.size > 0) expect([...c.buckets.entries()]).toEqual([...want.buckets.entries()]);
            else expect(t.requests).toBe(0);
            const prev = out[idx - 1];
            expect(c.errors).toBeLessThanOrEqual(c.requests);
            if (prev) expect(c.requests).toBeGreaterThanOrEqual(prev.requests);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  type Group = typeof group extends fc.Arbitrary<infer G> ? G : never;
  type Truth = { requests: number; errors: number; perBucket: number[] };

  /** Runs the model: the tracks Prometheus would show, and per grid point what was served and visible by then. */
  function simulate(
    gs: readonly Group[],
    n: number,
  ): { tracks: GroupTrack[]; truth: Truth[]; detectable: boolean } {
    const tracks: GroupTrack[] = [];
    const truth = Array.from({ length: n }, () => ({ requests: 0, errors: 0, perBucket: [0, 0, 0, 0] }));
    let detectable = true;
    for (const g of gs) {
      // the current process's own totals (requests per latency class, errors)
      let perBucket = g.history ? [...g.history] : [0, 0, 0, 0];
      let errors = g.history ? Math.floor((g.history[0] ?? 0) / 2) : 0;
      const total = () => perBucket.reduce((a, b) => a + b, 0);
      const points: Array<CounterValues | undefined> = [];
      const alive = (i: number) => g.history !== undefined || i >= g.bornAt;
      const t0Present = g.history !== undefined && g.presentAtT0;
      points.push(t0Present ? values(total(), errors, perBucket) : undefined);
      const track: GroupTrack = { points };
      if (g.history && !g.presentAtT0) track.baseline = values(total(), errors, perBucket);
      let lastSeen: CounterValues | undefined = g.history ? values(total(), errors, perBucket) : undefined;
      /** Served since the last present point of this process, not yet visible. */
      let pending = { requests: 0, errors: 0, perBucket: [0, 0, 0, 0] };
      let restarted = false;
      for (let i = 1; i < n; i++) {
        const iv = g.intervals[i - 1];
        if (!iv || !alive(i)) {
          points.push(undefined);
          continue;
        }
        if (iv.restart && lastSeen) {
          restarted = true;
          perBucket = [0, 0, 0, 0];
          errors = 0;
          pending = { requests: 0, errors: 0, perBucket: [0, 0, 0, 0] }; // the old process's unseen requests are lost
        }
        const served = iv.perBucket.reduce((a, b) => a + b, 0);
        const e = Math.floor(served * iv.errorShare);
        perBucket = perBucket.map((v, k) => v + (iv.perBucket[k] ?? 0));
        errors += e;
        pending.requests += served;
        pending.errors += e;
        pending.perBucket = pending.perBucket.map((v, k) => v + (iv.perBucket[k] ?? 0));
        const isBornPoint = g.history === undefined && i === g.bornAt;
        if (!iv.present && !isBornPoint) {
          points.push(undefined);
          continue;
        }
        const cur = values(total(), errors, perBucket);
        // a restart is visible only when the new process has fewer requests than last seen (else it is not a
        // reset anyone could detect: discard the case)
        if (restarted && lastSeen && lastSeen.requests > 0 && cur.requests >= lastSeen.requests)
          detectable = false;
        restarted = false;
        points.push(cur);
        lastSeen = cur;
        for (let j = i; j < n; j++) {
          const t = truth[j] as (typeof truth)[number];
          t.requests += pending.requests;
          t.errors += pending.errors;
          t.perBucket = t.perBucket.map((v, k) => v + (pending.perBucket[k] ?? 0));
        }
        pending = { requests: 0, errors: 0, perBucket: [0, 0, 0, 0] };
      }
      tracks.push(track);
    }
    return { tracks, truth, detectable };
  }
});
