import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inPageFrame, SETTLE_MS, untilRound } from './page-frame';

beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-01T00:10:03Z') }));
afterEach(() => vi.useRealTimers());

describe('inPageFrame', () => {
  it('runs what came within SETTLE_MS of the first together, once they settled, and what they schedule with them', () => {
    const ran: string[] = [];
    inPageFrame(() => ran.push('spec'));
    vi.advanceTimersByTime(30);
    inPageFrame(() => {
      ran.push('status');
      inPageFrame(() => ran.push('the panels told')); // joins the running batch
    });
    vi.advanceTimersByTime(SETTLE_MS - 40);
    expect(ran).toEqual([]); // still settling
    vi.advanceTimersByTime(40); // settled, then one frame
    expect(ran).toEqual(['spec', 'status', 'the panels told']);
    inPageFrame(() => ran.push('next change'));
    vi.advanceTimersByTime(SETTLE_MS + 20);
    expect(ran.at(-1)).toBe('next change');
  });

  it('a failing callback does not keep the others from running (its error is thrown apart)', () => {
    const ran: string[] = [];
    inPageFrame(() => {
      throw new Error('boom');
    });
    inPageFrame(() => ran.push('after'));
    expect(() => vi.advanceTimersByTime(SETTLE_MS + 20)).toThrow('boom');
    expect(ran).toEqual(['after']);
  });
});

describe('untilRound', () => {
  it("waits until the wall clock's next round multiple, never less than a second", () => {
    const t = Date.parse('2026-01-01T00:10:03Z');
    expect(untilRound(10_000, t, 0)).toBe(7000);
    expect(untilRound(10_000, t + 6500, 0)).toBe(500 + 10_000);
    expect(untilRound(5000, t, 0)).toBe(2000);
    // Shifted by the page's phase: this page reads at :04, :14, … (and every 5 s at :04, :09, …).
    expect(untilRound(10_000, t, 4000)).toBe(1000);
    expect(untilRound(10_000, t + 500, 4000)).toBe(10_500);
    expect(untilRound(5000, t, 4000)).toBe(1000);
  });
});
