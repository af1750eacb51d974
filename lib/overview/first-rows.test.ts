import { describe, expect, it } from 'vitest';
import { firstRows } from './first-rows';

/** A small deterministic generator (mulberry32), so a failure is repeatable. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('firstRows', () => {
  it('is the head of the full stable sort, ties in input order, for any size and n', () => {
    const rnd = random(7);
    for (let round = 0; round < 300; round++) {
      const size = Math.floor(rnd() * 200);
      const n = Math.floor(rnd() * 40);
      // Few distinct keys: many ties, so the order among equals is checked too.
      const items = Array.from({ length: size }, (_, i) => ({ key: Math.floor(rnd() * 8), i }));
      const cmp = (a: { key: number }, b: { key: number }) => a.key - b.key;
      expect(firstRows(items, n, cmp)).toEqual([...items].sort(cmp).slice(0, n));
    }
  });

  it('gives everything sorted when n is larger than the list, and nothing for n = 0', () => {
    const cmp = (a: number, b: number) => a - b;
    expect(firstRows([3, 1, 2], 10, cmp)).toEqual([1, 2, 3]);
    expect(firstRows([3, 1, 2], 0, cmp)).toEqual([]);
  });
});
