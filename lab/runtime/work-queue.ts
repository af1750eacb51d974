/**
 * The lab's one controller work queue (the Rollout and analysis controllers, the kubelet, the ReplicaSet and Job
 * controllers), as client-go's workqueue: store watch listeners only add keys; the handler runs later, outside the
 * store's synchronous publish, and reads the current state. A key is reconciled one at a time (a key added while it
 * runs is run again after), adds are debounced, a failed reconcile is requeued after a second, and `addAfter` requeues
 * a key at a time instead of sleeping in place.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; t: NodeJS.Timeout }>();
  private readonly idle: Array<() => void> = [];
  private flush: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly handler: (key: string) => Promise<void> | void,
    private readonly debounceMs = 20,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.pending.add(key);
    this.flush ??= setTimeout(() => this.drain(), this.debounceMs);
  }

  /** Reconcile `key` again in `ms` (the earliest of several requests wins). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const at = Date.now() + Math.max(0, ms);
    const cur = this.timers.get(key);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.t);
    const t = setTimeout(
      () => {
        this.timers.delete(key);
        this.add(key);
      },
      Math.max(0, ms),
    );
    t.unref?.();
    this.timers.set(key, { at, t });
  }

  private drain(): void {
    this.flush = undefined;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) void this.run(k);
  }

  private async run(key: string): Promise<void> {
    this.running.add(key);
    try {
      await this.handler(key);
    } catch (e) {
      this.onError(key, e);
      this.addAfter(key, 1000);
    } finally {
      this.running.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      if (this.running.size === 0 && this.pending.size === 0) for (const f of this.idle.splice(0)) f();
    }
  }

  /** Stops timers and waits for reconciles in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flush) clearTimeout(this.flush);
    for (const { t } of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    this.dirty.clear();
    if (this.running.size > 0) await new Promise<void>((r) => this.idle.push(r));
  }
}

export function objectKey(o: { metadata: { namespace?: string; name?: string } }): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Logs a failed reconcile of `component` (the queue requeues the key). */
export const logReconcileError =
  (component: string) =>
  (key: string, err: unknown): void =>
    console.error(`[lab ${component}] reconcile ${key} failed:`, err instanceof Error ? err.message : err);
