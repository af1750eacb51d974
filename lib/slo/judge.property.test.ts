import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge } from './judge';
import { type Step, series } from './test-fixtures';
import type { VerdictKind } from './types';

const rank: Record<VerdictKind, number> = { rollback: 0, pause: 1, promote: 2 };

const step = fc
  .record({
    canaryRequests: fc.integer({ min: 0, max: 400 }),
    errorShare: fc.double({ min: 0, max: 0.05, noNaN: true }),
    slowShare: fc.double({ min: 0, max: 0.1, noNaN: true }),
    stableRequests: fc.integer({ min: 0, max: 3000 }),
    stableErrorShare: fc.double({ min: 0, max: 0.02, noNaN: true }),
  })
  .map(
    (r): Step => ({
      canaryRequests: r.canaryRequests,
      canaryErrors: Math.floor(r.canaryRequests * r.errorShare),
      canarySlow: Math.floor(r.canaryRequests * r.slowShare),
      stableRequests: r.stableRequests,
      stableErrors: Math.floor(r.stableRequests * r.stableErrorShare),
    }),
  );

describe('judge properties', () => {
  it('more canary errors (same requests) never make PROMOTE likelier', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.integer({ min: 1, max: 20 }),
        (steps, pick, extra) => {
          const i = pick % steps.length;
          const s = steps[i];
          if (!s || s.canaryRequests === 0) return true;
          const more = steps.map((x, j) =>
            j === i ? { ...x, canaryErrors: Math.min(x.canaryRequests, x.canaryErrors + extra) } : x,
          );
          const before = judge(series(steps), {}, { projections: false }).verdict;
          const after = judge(series(more), {}, { projections: false }).verdict;
          expect(rank[after]).toBeLessThanOrEqual(rank[before]);
          return true;
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('never promotes with zero canary traffic', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 0, maxLength: 30 }), (steps) => {
        const idle = steps.map((s) => ({ ...s, canaryRequests: 0, canaryErrors: 0, canarySlow: 0 }));
        const v = judge(series(idle), {}, { projections: false });
        expect(v.verdict).not.toBe('promote');
        return true;
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('never promotes below the minimum sample, whatever the data', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 5000 }),
        (steps, min) => {
          const v = judge(series(steps), { minCanaryRequests: min }, { projections: false });
          const served = steps.reduce((s, x) => s + x.canaryRequests, 0);
          if (served < min) expect(v.verdict).not.toBe('promote');
          return true;
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});
