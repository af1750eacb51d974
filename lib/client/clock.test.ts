import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock';
import { relativeTime } from './format';

beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-01T00:10:00Z') }));
afterEach(() => vi.useRealTimers());

describe('Clock', () => {
  it('ticks only while read, and tells readers whose text changed apart from the rest', () => {
    const clock = new Clock(1000);
    // Two relative times as a component reads them: a new entry (seconds) and an old one (minutes).
    const fresh = () => relativeTime('2026-01-01T00:09:50Z', clock.now());
    const old = () => relativeTime('2026-01-01T00:00:00Z', clock.now());
    const changes = { fresh: 0, old: 0 };
    const last = { fresh: fresh(), old: old() };
    const off = clock.subscribe(() => {
      for (const k of ['fresh', 'old'] as const) {
        const now = k === 'fresh' ? fresh() : old();
        if (now !== last[k]) changes[k]++;
        last[k] = now;
      }
    });
    vi.advanceTimersByTime(30_000);
    // 30 ticks: the seconds-old entry's text moved with them; the ten-minute-old one's text did not move at all.
    expect(last.fresh).toBe('40s ago');
    expect(changes.fresh).toBeGreaterThanOrEqual(25);
    expect(changes.old).toBe(0);
    off();
    expect(vi.getTimerCount()).toBe(0); // stopped: nobody reads it
  });

  it('reads the time now while nobody subscribes (a server render, long after the module loaded)', () => {
    const clock = new Clock(1000);
    vi.advanceTimersByTime(3 * 86_400_000);
    expect(clock.now()).toBe(Date.now());
    expect(relativeTime('2026-01-01T00:09:59Z', clock.now())).toBe('3d ago');
  });
});
