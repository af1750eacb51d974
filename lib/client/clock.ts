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

  now = (): number => this.current;

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

/** The browser page's clock (each page load has its own module instance). */
export const pageClock = new Clock();
