import { inPageFrame, PAGE_PHASE_MS, untilRound } from './page-frame';

/**
 * One clock for every relative time on a page ("4m ago"). It ticks on the wall clock's round `tickMs` (every 10 s,
 * at :00, :10, :20, … shifted by the page's phase), so every time on the page that moves moves at the same instant: one layout and paint per
 * tick for all of them, not one per second for each entry born at a different second. Each reader computes its text
 * on a tick and writes it only when it changed (`useTickingText`), so no component renders for the clock. `now()` is
 * always the time now (a render between ticks is exact; the ticks catch up at most `tickMs` late). The timer runs
 * only while something reads the clock.
 */
export class Clock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly tickMs = 10_000,
    private readonly read: () => number = Date.now,
    /** Where the readers run on a tick (the page's frame of changes, so they render with what else changed). */
    private readonly schedule: (fn: () => void) => void = (fn) => fn(),
    /** The ticks fall this many ms after the round instants (the page's phase, PAGE_PHASE_MS). */
    private readonly phaseMs = 0,
  ) {}

  now = (): number => this.read();

  private arm(): void {
    this.timer = setTimeout(
      () => {
        this.schedule(() => {
          for (const l of this.listeners) l();
        });
        if (this.listeners.size > 0) this.arm();
        else this.timer = undefined;
      },
      untilRound(this.tickMs, this.read(), this.phaseMs, 50),
    );
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    if (this.timer === undefined) this.arm();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  };
}

/** The page's clock: in the browser one per page load, its ticks in the page's frame of changes; on the server never subscribed. */
export const pageClock = new Clock(10_000, Date.now, inPageFrame, PAGE_PHASE_MS);
