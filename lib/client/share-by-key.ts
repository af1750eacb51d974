import { replaceEqualDeep } from '@tanstack/react-query';

/**
 * Structural sharing for a list matched by key, not by place: an item `same` as the previous answer's item of the same
 * key is that same object, and the previous list itself comes back when nothing changed. The query cache's own sharing
 * pairs items by index, so one entry added at the top of a newest-first list made every item below it new (and every
 * memoised line render again). `same` defaults to deep equality (the cache's own comparison, which copies as it goes);
 * a list whose items never change once written can say so with a cheaper check.
 */
export function shareByKey<T>(
  prev: readonly T[] | undefined,
  next: T[],
  keyOf: (item: T) => string,
  same: (prev: T, next: T) => boolean = (p, n) => replaceEqualDeep(p, n) === p,
): T[] {
  if (!prev) return next;
  const before = new Map<string, T>();
  for (const p of prev) before.set(keyOf(p), p);
  let unchanged = prev.length === next.length;
  const shared = next.map((n, i) => {
    const p = before.get(keyOf(n));
    const item = p !== undefined && same(p, n) ? p : n;
    if (item !== prev[i]) unchanged = false;
    return item;
  });
  return unchanged ? (prev as T[]) : shared;
}
