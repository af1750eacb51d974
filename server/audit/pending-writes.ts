import { isPermanentStoreError } from '../store/permanent-error';

/**
 * Batches waiting for a store that may fail for a while (a full disk, a database restarting): they are written one
 * after the other in the order they came; a batch that fails stays first in line and is tried again after a back-off
 * (doubling up to `maxBackoffMs`) until the store takes it. The writes must be idempotent (deterministic keys), since
 * a write that failed late may have been stored already. At most `maxBatches` batches and `maxBytes` (JSON size) wait;
 * past that the oldest are dropped, counted and said so. A batch whose error says the data itself is refused (see
 * `permanent`) is dropped at once, counted and said so: it would fail forever and hold up everything behind it.
 * Nothing here knows the store: `write` does the work.
 */

export interface PendingWritesOptions<T> {
  /** What the log lines and the drop count name (e.g. `timeline`). */
  name: string;
  maxBatches?: number;
  maxBytes?: number;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  sizeOf?: (items: T[]) => number;
  /** Whether an error of `write` will never pass on a retry (default: the store's data and constraint errors). */
  permanent?: (err: unknown) => boolean;
  /** Called with the number of items dropped (a metric). */
  onDropped?: (items: number) => void;
  log?: (line: string) => void;
}

interface Batch<T> {
  items: T[];
  bytes: number;
  done: () => void;
}

export class PendingWrites<T> {
  private readonly queue: Array<Batch<T>> = [];
  private bytes = 0;
  private running = false;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private droppedItems = 0;
  private readonly o: Required<Omit<PendingWritesOptions<T>, 'onDropped'>> &
    Pick<PendingWritesOptions<T>, 'onDropped'>;

  constructor(
    private readonly write: (items: T[]) => unknown,
    options: PendingWritesOptions<T>,
  ) {
    this.o = {
      maxBatches: 1000,
      maxBytes: 16 * 1024 * 1024,
      firstBackoffMs: 200,
      maxBackoffMs: 5000,
      sizeOf: (items) => JSON.stringify(items).length,
      permanent: isPermanentStoreError,
      log: (line) => console.error(line),
      ...options,
    };
  }

  /** Items waiting (not stored yet). */
  pendingItems(): number {
    return this.queue.reduce((n, b) => n + b.items.length, 0);
  }

  /** Items dropped since start because the bounds were reached. */
  dropped(): number {
    return this.droppedItems;
  }

  /** Queues a batch; resolves once it is stored or dropped (never rejects). */
  add(items: T[]): Promise<void> {
    if (items.length === 0 || this.stopped) return Promise.resolve();
    return new Promise<void>((done) => {
      const batch = { items, bytes: this.o.sizeOf(items), done };
      this.queue.push(batch);
      this.bytes += batch.bytes;
      this.bound();
      void this.drain();
    });
  }

  /** Stops retrying; what still waits is dropped (said so). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const n = this.pendingItems();
    if (n > 0) this.o.log(`${this.o.name}: ${n} entries not stored: stopped while the store failed`);
    for (const b of this.queue.splice(0)) b.done();
    this.bytes = 0;
  }

  private bound(): void {
    // The first batch may be in flight; it is never dropped under the writer's feet unless it is the only one.
    while (this.queue.length > 1 && (this.queue.length > this.o.maxBatches || this.bytes > this.o.maxBytes)) {
      const victim = this.running ? this.queue.splice(1, 1)[0] : this.queue.shift();
      if (!victim) break;
      this.bytes -= victim.bytes;
      this.droppedItems += victim.items.length;
      this.o.onDropped?.(victim.items.length);
      this.o.log(
        `${this.o.name}: ${victim.items.length} entries dropped (oldest first): ${this.queue.length} batches, ${this.bytes} bytes wait for the store; ${this.droppedItems} dropped so far`,
      );
      victim.done();
    }
  }

  /** Drops the first batch, whose write was refused for good. */
  private dropHead(head: Batch<T>, err: unknown): void {
    if (this.queue[0] === head) {
      this.queue.shift();
      this.bytes -= head.bytes;
    }
    this.failures = 0;
    this.droppedItems += head.items.length;
    this.o.onDropped?.(head.items.length);
    this.o.log(
      `${this.o.name}: ${head.items.length} entries dropped: the store refuses them for good (${(err as Error)?.message ?? String(err)}); ${this.droppedItems} dropped so far`,
    );
    head.done();
  }

  private async drain(): Promise<void> {
    if (this.running || this.timer) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const head = this.queue[0] as Batch<T>;
        try {
          await this.write(head.items);
        } catch (err) {
          if (this.o.permanent(err)) {
            this.dropHead(head, err);
            continue;
          }
          this.failures++;
          const wait = Math.min(this.o.maxBackoffMs, this.o.firstBackoffMs * 2 ** (this.failures - 1));
          if (this.failures === 1 || wait === this.o.maxBackoffMs)
            this.o.log(
              `${this.o.name}: could not store ${head.items.length} entries (${(err as Error).message}); kept with ${this.pendingItems() - head.items.length} more, retrying in ${wait} ms`,
            );
          this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.drain();
          }, wait);
          this.timer.unref();
          return;
        }
        if (this.failures > 0)
          this.o.log(`${this.o.name}: the store takes writes again after ${this.failures} failed tries`);
        this.failures = 0;
        if (this.queue[0] === head) {
          this.queue.shift();
          this.bytes -= head.bytes;
        }
        head.done();
      }
    } finally {
      this.running = false;
    }
  }
}
