import { filterAndSort, type OverviewFilter } from '@/lib/client/select';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';

/** At most this many rows changed in one step are moved into place one by one; more: sorted anew. */
const MOVE_AT_MOST = 16;

/** What `filterAndSort` reads of a row (search, namespace filter and the three orders). */
const ORDER_FIELDS = [
  'context',
  'namespace',
  'name',
  'phase',
  'stableImage',
  'canaryImage',
  'needsAttention',
  'analysisPhase',
  'createdAt',
] as const satisfies ReadonlyArray<keyof RolloutSummary>;

const sameOrder = (a: RolloutSummary, b: RolloutSummary) => ORDER_FIELDS.every((k) => a[k] === b[k]);
const sameFilter = (a: OverviewFilter, b: OverviewFilter) =>
  a.search === b.search && a.namespace === b.namespace && a.sort === b.sort;

/** `filterAndSort` as a comparison: -1 when `a` goes before `b`, 1 after, 0 when the order does not tell them apart. */
function compare(a: RolloutSummary, b: RolloutSummary, f: OverviewFilter): number {
  const ab = filterAndSort([a, b], f)[0] === a;
  const ba = filterAndSort([b, a], f)[0] === b;
  return ab === ba ? 0 : ab ? -1 : 1;
}

/**
 * The filtered, sorted overview rows, kept from change to change: with the filter unchanged and the same rollouts at
 * the same places, rows that changed nothing `filterAndSort` reads take their old place; a few that did are taken out
 * and put back where `filterAndSort`'s own order says (a binary search of two-row calls); anything else is sorted
 * anew. Rows are compared by identity (a stream delta replaces only the rows it changed), so a quiet step returns the very same array.
 */
export class ShownRows {
  private last: { rows: readonly RolloutSummary[]; filter: OverviewFilter; shown: RolloutSummary[] } | null =
    null;

  shown(rows: readonly RolloutSummary[], filter: OverviewFilter): RolloutSummary[] {
    const shown = this.reuse(rows, filter) ?? filterAndSort(rows, filter);
    this.last = { rows, filter, shown };
    return shown;
  }

  private reuse(rows: readonly RolloutSummary[], f: OverviewFilter): RolloutSummary[] | null {
    const l = this.last;
    if (!l || !sameFilter(l.filter, f) || l.rows.length !== rows.length) return null;
    if (l.rows === rows) return l.shown;
    const replaced = new Map<RolloutSummary, RolloutSummary>();
    const gone = new Set<RolloutSummary>();
    const moved: RolloutSummary[] = [];
    for (let i = 0; i < rows.length; i++) {
      const a = l.rows[i] as RolloutSummary;
      const b = rows[i] as RolloutSummary;
      if (a === b) continue;
      if (a.context !== b.context || a.namespace !== b.namespace || a.name !== b.name) return null;
      if (sameOrder(a, b)) replaced.set(a, b);
      else if (moved.push(b) > MOVE_AT_MOST) return null;
      else gone.add(a);
    }
    if (replaced.size === 0 && gone.size === 0) return l.shown;
    const kept: RolloutSummary[] = [];
    for (const r of l.shown) if (!gone.has(r)) kept.push(replaced.get(r) ?? r);
    for (const b of moved) {
      if (filterAndSort([b], f).length === 0) continue;
      let lo = 0;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = compare(kept[mid] as RolloutSummary, b, f);
        if (c === 0) return null; // a tie: only a full sort places it as filterAndSort would
        if (c < 0) lo = mid + 1;
        else hi = mid;
      }
      kept.splice(lo, 0, b);
    }
    return kept;
  }
}
