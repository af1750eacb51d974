/**
 * Writes of a replica that may be a standby: while it leads, items go straight through; while it does not, the items
 * of the last `holdMs` are kept, and written when it takes over (the writes must be idempotent - deterministic keys -
 * since the old leader may have written some of them already). Nothing here knows Kubernetes: `isLeader` is asked
 * right before every write.
 */
export interface Leadership {
  isLeader(): boolean;
}

export class LeaderGate<T> {
  private held: Array<{ at: number; items: T[] }> = [];

  constructor(
    private readonly leadership: Leadership,
    private readonly write: (items: T[]) => unknown,
    private readonly holdMs: number,
    private readonly now: () => number = Date.now,
    private readonly onError: (message: string) => void = (m) => console.error(`recorder: ${m}`),
  ) {}

  /** Items held for a takeover (tests and metrics). */
  heldCount(): number {
    this.prune();
    return this.held.reduce((n, b) => n + b.items.length, 0);
  }

  /** Writes (leader) or holds (standby); returns what the write returned, else 0. */
  offer(items: T[]): unknown {
    if (items.length === 0) return 0;
    if (!this.leadership.isLeader()) {
      this.held.push({ at: this.now(), items });
      this.prune();
      return 0;
    }
    this.flush();
    return this.guarded(items);
  }

  /** On takeover: writes the held items (oldest first). Does nothing while not leading. */
  flush(): void {
    this.prune();
    if (this.held.length === 0 || !this.leadership.isLeader()) return;
    const batches = this.held;
    this.held = [];
    for (const b of batches) this.guarded(b.items, b.at);
  }

  private prune(): void {
    const oldest = this.now() - this.holdMs;
    this.held = this.held.filter((b) => b.at >= oldest);
  }

  /** A failed write is logged and its items held again (until they age out), never thrown at the caller. */
  private guarded(items: T[], at = this.now()): unknown {
    const retry = (err: unknown) => {
      this.onError(`could not write ${items.length} entries: ${(err as Error).message}`);
      this.held.unshift({ at, items });
    };
    try {
      const r = this.write(items);
      if (r instanceof Promise)
        return r.catch((err) => {
          retry(err);
          return 0;
        });
      return r;
    } catch (err) {
      retry(err);
      return 0;
    }
  }
}

/** The store with its `add` going through the gate; every other member is the store's own. */
export function gatedStore<E, S extends { add(entries: E[]): unknown }>(store: S, gate: LeaderGate<E>): S {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'add') return (entries: E[]) => gate.offer(entries);
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
