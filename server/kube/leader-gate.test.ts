import { describe, expect, it } from 'vitest';
import { gatedStore, LeaderGate } from './leader-gate';

/** The standby/leader gate on a fake clock: what is written, held, flushed and dropped. */
function setup(holdMs = 10_000) {
  let t = 1_000_000;
  let leader = false;
  const written: string[][] = [];
  const errors: string[] = [];
  let failNext = false;
  const gate = new LeaderGate<string>(
    { isLeader: () => leader },
    (items) => {
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      written.push(items);
      return items.length;
    },
    holdMs,
    () => t,
    (m) => errors.push(m),
  );
  return {
    gate,
    written,
    errors,
    tick: (ms: number) => {
      t += ms;
    },
    lead: (v: boolean) => {
      leader = v;
    },
    fail: () => {
      failNext = true;
    },
  };
}

describe('LeaderGate', () => {
  it('a leader writes straight through', () => {
    const s = setup();
    s.lead(true);
    expect(s.gate.offer(['a', 'b'])).toBe(2);
    expect(s.written).toEqual([['a', 'b']]);
  });

  it('a standby holds, and writes what it held on takeover, oldest first, once', () => {
    const s = setup();
    s.gate.offer(['a']);
    s.tick(1000);
    s.gate.offer(['b']);
    expect(s.written).toEqual([]);
    expect(s.gate.heldCount()).toBe(2);
    s.lead(true);
    s.gate.flush();
    expect(s.written).toEqual([['a'], ['b']]);
    s.gate.flush();
    expect(s.written).toHaveLength(2);
    expect(s.gate.heldCount()).toBe(0);
  });

  it('keeps only the last holdMs (leaseDuration + renewDeadline) of entries', () => {
    const s = setup(10_000);
    s.gate.offer(['old']);
    s.tick(9_000);
    s.gate.offer(['recent']);
    s.tick(1_001);
    expect(s.gate.heldCount()).toBe(1);
    s.lead(true);
    s.gate.offer(['now']);
    expect(s.written).toEqual([['recent'], ['now']]);
  });

  it('a first write as leader flushes what was held before it', () => {
    const s = setup();
    s.gate.offer(['held']);
    s.lead(true);
    s.gate.offer(['new']);
    expect(s.written).toEqual([['held'], ['new']]);
  });

  it('losing the lead holds again; flush does nothing while not leading', () => {
    const s = setup();
    s.lead(true);
    s.gate.offer(['a']);
    s.lead(false);
    s.gate.offer(['b']);
    s.gate.flush();
    expect(s.written).toEqual([['a']]);
    expect(s.gate.heldCount()).toBe(1);
  });

  it('a failed write is logged and held for the next chance, never thrown', () => {
    const s = setup();
    s.lead(true);
    s.fail();
    expect(s.gate.offer(['x'])).toBe(0);
    expect(s.errors).toEqual(['could not write 1 entries: disk full']);
    s.gate.offer(['y']);
    expect(s.written).toEqual([['x'], ['y']]);
  });

  it('gatedStore routes add through the gate and keeps the rest of the store', () => {
    const s = setup();
    const store = {
      rows: [] as string[],
      add(items: string[]) {
        this.rows.push(...items);
        return items.length;
      },
      count() {
        return this.rows.length;
      },
    };
    const gated = gatedStore(store, s.gate);
    gated.add(['a']);
    expect(s.gate.heldCount()).toBe(1);
    expect(gated.count()).toBe(0);
  });
});
