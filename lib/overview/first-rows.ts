/**
 * The first `n` items of `items` in the order `cmp` gives (as `[...items].sort(cmp).slice(0, n)`, ties kept in input
 * order), without sorting them all: one pass keeping the best `n`, so most items cost one comparison with the worst
 * kept. The overview's first screen out of 10,000 rows.
 */
export function firstRows<T>(items: readonly T[], n: number, cmp: (a: T, b: T) => number): T[] {
  const kept: T[] = [];
  if (n <= 0) return kept;
  for (const item of items) {
    if (kept.length === n && cmp(item, kept[n - 1] as T) >= 0) continue;
    // After the last kept item that goes before or ties with `item`: input order among ties.
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(item, kept[mid] as T) < 0) hi = mid;
      else lo = mid + 1;
    }
    kept.splice(lo, 0, item);
    if (kept.length > n) kept.pop();
  }
  return kept;
}

/** Rows the overview's server render sends (a tall screen of both tables and the rows rendered around them); the live stream brings the rest. */
export const FIRST_SCREEN_ROWS = 60;
