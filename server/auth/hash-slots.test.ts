import { describe, expect, it } from 'vitest';
import { HashSlots } from './hash-slots';

describe('HashSlots', () => {
  it('runs at most `concurrent`, queues at most `queued`, refuses the rest at once', async () => {
    const slots = new HashSlots(2, 1);
    const a = await slots.acquire();
    const b = await slots.acquire();
    expect(a && b).toBeTruthy();
    let cGot = false;
    const c = slots.acquire().then((r) => {
      cGot = true;
      return r;
    });
    expect(slots.load()).toEqual({ running: 2, waiting: 1 });
    expect(await slots.acquire()).toBeNull();
    expect(cGot).toBe(false);
    a?.();
    a?.(); // a second release changes nothing
    const release = await c;
    expect(cGot).toBe(true);
    expect(slots.load()).toEqual({ running: 2, waiting: 0 });
    b?.();
    release?.();
    expect(slots.load()).toEqual({ running: 0, waiting: 0 });
  });
});
