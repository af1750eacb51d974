/**
 * One ticking clock for every relative time on a page: a component reads what it shows of it (`useClockText`), and
 * renders again only when that text changes ("4m ago" stays for a minute), not on every tick; the panels around it do
 * not render for the clock at all. The timer runs only while something reads the clock.
 */
export class Clock {
  private current: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly tickMs = 1000,
    private readonly read: () => number = Date.now,
  ) {
    this.current = read();
  }

  /** The time of the last tick while the clock ticks; while nothing reads it (a server render), the time now. */
  now = (): number => {
    if (this.timer === undefined) this.current = this.read();
    return this.current;
  };

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    if (this.timer === undefined) {
      this.current = this.read();
      this.timer = setInterval(() => {
        this.current = this.read();
        for (const l of this.listeners) l();
      }, this.tickMs);
    }
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  };
}

/** The page's clock: in the browser one per page load; on the server never subscribed, so it reads the time of the request. */
export const pageClock = new Clock();
