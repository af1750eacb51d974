import { describe, expect, it } from 'vitest';
import { SharedResults } from './shared-result';

describe('SharedResults', () => {
  it('computes once for concurrent and repeated asks within the TTL, again after it', async () => {
    let now = 0;
    let calls = 0;
    const c = new SharedResults<number>(5000, 10, () => now);
    const compute = async () => ++calls;
    expect(await Promise.all([c.get('a', compute), c.get('a', compute), c.get('a', compute)])).toEqual([
      1, 1, 1,
    ]);
    now = 4999;
    expect(await c.get('a', compute)).toBe(1);
    now = 5000;
    expect(await c.get('a', compute)).toBe(2);
    expect(await c.get('b', compute)).toBe(3);
  });

  it('does not keep a failure', async () => {
    const c = new SharedResults<number>(5000, 10, () => 0);
    await expect(c.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await c.get('a', async () => 7)).toBe(7);
  });

  it('keeps at most maxKeys keys, dropping the oldest', async () => {
    let calls = 0;
    const c = new SharedResults<number>(60_000, 2, () => 0);
    const compute = async () => ++calls;
    await c.get('a', compute);
    await c.get('b', compute);
    await c.get('c', compute);
    expect(await c.get('b', compute)).toBe(2);
    expect(await c.get('a', compute)).toBe(4); // 'a' was dropped and computed again
  });
});
