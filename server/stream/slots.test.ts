import { describe, expect, it } from 'vitest';
import { StreamSlots } from './slots';

describe('StreamSlots', () => {
  it('caps streams per user and in all, and gives a slot back once however often it is released', () => {
    const slots = new StreamSlots(() => ({ perUser: 2, total: 3 }));
    const a1 = slots.acquire('a');
    const a2 = slots.acquire('a');
    expect(a1.ok && a2.ok).toBe(true);
    expect(slots.acquire('a')).toEqual({
      ok: false,
      message:
        'too many live streams: you have 2 open, at most 2 per user; close other tabs of the control center and retry',
    });
    const b1 = slots.acquire('b');
    expect(b1.ok).toBe(true);
    expect(slots.acquire('c')).toEqual({
      ok: false,
      message: 'too many live streams: the server has 3 open, at most 3 in all; retry in a minute',
    });
    if (!a1.ok) throw new Error('a1');
    a1.release();
    a1.release();
    expect(slots.open).toBe(2);
    expect(slots.openFor('a')).toBe(1);
    expect(slots.acquire('c').ok).toBe(true);
    expect(slots.acquire('c').ok).toBe(false);
  });
});
