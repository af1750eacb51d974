import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes';

/** The queue over a write the test fails and heals: order, retry, bounds. */
function setup(maxBatches: number, maxBytes = 1_000_000) {
  let failing = true;
  const stored: string[] = [];
  const logs: string[] = [];
  let dropped = 0;
  const q = new PendingWrites<string>(
    async (items) => {
      if (failing) throw new Error('disk full');
      stored.push(...items);
    },
    {
      name: 'test',
      maxBatches,
      maxBytes,
      firstBackoffMs: 5,
      maxBackoffMs: 20,
      onDropped: (n) => {
        dropped += n;
      },
      log: (l) => logs.push(l),
    },
  );
  return { q, stored, logs, heal: () => (failing = false), dropped: () => dropped };
}

describe('PendingWrites', () => {
  it('keeps failed batches and stores them in order once the write works', async () => {
    const s = setup(10);
    const done = [s.q.add(['a']), s.q.add(['b', 'c']), s.q.add(['d'])];
    expect(s.q.pendingItems()).toBe(4);
    s.heal();
    await Promise.all(done);
    expect(s.stored).toEqual(['a', 'b', 'c', 'd']);
    expect(s.logs[0]).toMatch(
      /^test: could not store 1 entries \(disk full\); kept with 3 more, retrying in 5 ms$/,
    );
    expect(s.logs.at(-1)).toMatch(/^test: the store takes writes again after \d+ failed tries$/);
  });

  it('past the count bound the oldest waiting batch (not the one in flight) is dropped, counted and logged', async () => {
    const s = setup(2);
    const done = [s.q.add(['a']), s.q.add(['b']), s.q.add(['c']), s.q.add(['d'])];
    expect(s.dropped()).toBe(2);
    expect(s.logs.filter((l) => l.includes('dropped (oldest first)'))).toHaveLength(2);
    s.heal();
    await Promise.all(done);
    expect(s.stored).toHaveLength(2);
    expect(s.stored.at(-1)).toBe('d');
  });

  it('past the byte bound the oldest are dropped too', async () => {
    const s = setup(100, 30);
    for (const x of ['aaaaaaaa', 'bbbbbbbb', 'cccccccc']) void s.q.add([x]);
    expect(s.dropped()).toBe(1);
    s.heal();
    await s.q.add(['d']);
    expect(s.stored.at(-1)).toBe('d');
    expect(s.stored).toEqual(['aaaaaaaa', 'cccccccc', 'd']);
  });
});
