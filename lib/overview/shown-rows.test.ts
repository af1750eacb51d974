import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterAndSort, type OverviewFilter } from '@/lib/client/select';
import type { RolloutPhase } from '@/lib/rollout/rollout-status';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ShownRows } from './shown-rows';

const PHASES = ['Healthy', 'Paused', 'Progressing', 'Degraded', 'Unknown'] as const;

const row = (i: number, phase: RolloutPhase, extra: Partial<RolloutSummary> = {}): RolloutSummary => ({
  namespace: `ns-${i % 3}`,
  name: `svc-${i}`,
  phase,
  message: '',
  revision: 1,
  stableImage: `app:v${i % 4}`,
  canaryImage: null,
  step: null,
  setWeight: 0,
  actualWeight: 0,
  paused: phase === 'Paused',
  aborted: false,
  needsAttention: phase === 'Paused' || phase === 'Degraded',
  createdAt: `2026-01-0${1 + (i % 9)}T00:00:00Z`,
  analysisPhase: null,
  ...extra,
});

const filter = (f: Partial<OverviewFilter> = {}): OverviewFilter => ({
  search: '',
  namespace: '',
  sort: 'attention',
  ...f,
});

describe('shown overview rows kept from change to change', () => {
  it('a row whose order fields did not change keeps its place; the array is reused when nothing changed', () => {
    const shown = new ShownRows();
    const rows = [row(0, 'Healthy'), row(1, 'Paused'), row(2, 'Healthy')];
    const first = shown.shown(rows, filter());
    expect(first.map((r) => r.name)).toEqual(['svc-1', 'svc-0', 'svc-2']);
    expect(shown.shown(rows, filter())).toBe(first);
    const revised = { ...(rows[0] as RolloutSummary), revision: 2 };
    const next = shown.shown([revised, rows[1] as RolloutSummary, rows[2] as RolloutSummary], filter());
    expect(next[1]).toBe(revised);
    expect(next.map((r) => r.name)).toEqual(['svc-1', 'svc-0', 'svc-2']);
  });

  it('a row that pauses moves up to where filterAndSort puts it', () => {
    const shown = new ShownRows();
    const rows = Array.from({ length: 20 }, (_, i) => row(i, 'Healthy'));
    shown.shown(rows, filter());
    const next = rows.map((r, i) => (i === 13 ? row(13, 'Paused') : r));
    const got = shown.shown(next, filter());
    expect(got[0]).toBe(next[13]);
    expect(got).toEqual(filterAndSort(next, filter()));
  });

  it('always equals filterAndSort, row for row, over any sequence of changes and filters', () => {
    const step = fc.record({
      changes: fc.array(
        fc.record({
          at: fc.nat(40),
          phase: fc.constantFrom(...PHASES),
          what: fc.constantFrom('phase', 'revision', 'image', 'canary', 'analysis'),
        }),
        { maxLength: 20 },
      ),
      search: fc.constantFrom('', 'svc-1', 'v2', 'paused', 'ns-1/'),
      namespace: fc.constantFrom('', 'ns-0', 'ns-2'),
      sort: fc.constantFrom('attention', 'name', 'age') as fc.Arbitrary<OverviewFilter['sort']>,
      /** Most steps keep the filter (the path that reuses the order); one in four sets a new one. */
      refilter: fc.nat(3),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(step, { maxLength: 12 }), (n, steps) => {
        const shown = new ShownRows();
        let f = filter();
        let rows = Array.from({ length: n }, (_, i) => row(i, PHASES[i % PHASES.length] as RolloutPhase));
        for (const s of steps) {
          rows = rows.slice();
          for (const c of s.changes) {
            const i = c.at % rows.length;
            const r = rows[i] as RolloutSummary;
            rows[i] =
              c.what === 'phase'
                ? { ...r, phase: c.phase, needsAttention: c.phase === 'Degraded' }
                : c.what === 'revision'
                  ? { ...r, revision: (r.revision ?? 0) + 1 }
                  : c.what === 'image'
                    ? { ...r, stableImage: `app:v${c.at % 5}` }
                    : c.what === 'canary'
                      ? { ...r, canaryImage: r.canaryImage ? null : 'app:v9' }
                      : { ...r, analysisPhase: r.analysisPhase ? null : 'Failed' };
          }
          if (s.refilter === 0) f = filter({ search: s.search, namespace: s.namespace, sort: s.sort });
          const want = filterAndSort(rows, f);
          const got = shown.shown(rows, f);
          expect(got.length).toBe(want.length);
          for (const [i, r] of got.entries()) expect(r).toBe(want[i]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
