/**
 * A bound on concurrent password checks (one argon2 verification each, tens of milliseconds of a core): at most
 * `concurrent` run, at most `queued` wait; beyond that `acquire` answers null at once, so a flood of logins is refused
 * fast instead of queueing without end.
 */
export class HashSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrent = 4,
    private readonly queued = 16,
  ) {}

  /** A release function once a slot is free, or null when the queue is full. */
  async acquire(): Promise<(() => void) | null> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queued) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
  }

  /** Checks running and waiting (tests, metrics). */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
