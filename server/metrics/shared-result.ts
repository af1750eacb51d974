import 'server-only';

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

/**
 * One computation per key at a time, reused for `ttlMs`: every open page asks for the same rollout's metrics every
 * few seconds, and without this each of them would query the metrics source on its own. Failed computations are not
 * kept. At most `maxKeys` keys; the oldest goes first.
 */
export class SharedResults<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 500,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}
