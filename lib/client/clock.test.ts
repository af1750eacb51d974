import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock';
import { relativeTime } from './format';

beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-01T00:10:03Z') }));
afterEach(() => vi.useRealTimers());

describe('Clock', () => {
  it('ticks on the round 10 s of the wall clock, only while read, and tells readers whose text changed apart', () => {
    const clock = new Clock(10_000);
    const ticks: string[] = [];
    // Two relative times as a component reads them: a new entry (seconds) and an old one (minutes).
    const fresh = () => relativeTime('2026-01-01T00:09:50Z', clock.now());
    const old = () => relativeTime('2026-01-01T00:00:00Z', clock.now());
    const changes = { fresh: 0, old: 0 };
    const last = { fresh: fresh(), old: old() };
    expect(last.fresh).toBe('10s ago');
    const off = clock.subscribe(() => {
      ticks.push(new Date(clock.now()).toISOString().slice(11, 19));
      for (const k of ['fresh', 'old'] as const) {
        const now = k === 'fresh' ? fresh() : old();
        if (now !== last[k]) changes[k]++;
        last[k] = now;
      }
    });
    vi.advanceTimersByTime(30_000);
    // Ticks at :10, :20 and :30 (not 3 s after subscribing): every time on the page moves at the same instant.
    expect(ticks).toEqual(['00:10:10', '00:10:20', '00:10:30']);
    // The seconds-old entry moved with them (20s → 30s → 40s ago); the ten-minute-old one did not move at all.
    expect(last.fresh).toBe('40s ago');
    expect(changes.fresh).toBe(3);
    expect(changes.old).toBe(0);
    off();
    expect(vi.getTimerCount()).toBe(0); // stopped: nobody reads it
  });

  it('reads the time now, ticking or not (a render between ticks, a server render long after the module loaded)', () => {
    const clock = new Clock(10_000);
    vi.advanceTimersByTime(3 * 86_400_000);
    expect(clock.now()).toBe(Date.now());
    const off = clock.subscribe(() => undefined);
    vi.advanceTimersByTime(4_000);
    expect(clock.now()).toBe(Date.now());
    expect(relativeTime('2026-01-01T00:09:59Z', clock.now())).toBe('3d ago');
    off();
  });

  it("ticks at the page's phase after the round instants", () => {
    const clock = new Clock(10_000, Date.now, (fn) => fn(), 4000);
    const ticks: string[] = [];
    const off = clock.subscribe(() => ticks.push(new Date(clock.now()).toISOString().slice(11, 19)));
    vi.advanceTimersByTime(20_000);
    expect(ticks).toEqual(['00:10:04', '00:10:14']);
    off();
  });
});
