import { replaceEqualDeep } from '@tanstack/react-query';

/**
 * Structural sharing for a list matched by key, not by place: an item equal (deeply) to the previous answer's item of
 * the same key is that same object, and the previous list itself comes back when nothing changed. The query cache's own
 * sharing pairs items by index, so one entry added at the top of a newest-first list made every item below it new
 * (and every memoised line render again).
 */
export function shareByKey<T>(prev: readonly T[] | undefined, next: T[], keyOf: (item: T) => string): T[] {
  if (!prev) return next;
  const before = new Map<string, T>();
  for (const p of prev) before.set(keyOf(p), p);
  let same = prev.length === next.length;
  const shared = next.map((n, i) => {
    const p = before.get(keyOf(n));
    const item = p === undefined ? n : replaceEqualDeep(p, n);
    if (item !== prev[i]) same = false;
    return item;
  });
  return same ? (prev as T[]) : shared;
}
