/**
 * A tiny keyed query cache (the part of react-query this app needs): entries by key, subscribers per key, one fetch
 * in flight per key. `useQuery` (use-query.ts) reads it with useSyncExternalStore. To switch to @tanstack/react-query,
 * replace `useQuery` with its namesake (same key/fetcher/refetchInterval options) and drop this file.
 */
export interface QueryEntry<T> {
  status: 'idle' | 'loading' | 'success' | 'error';
  data: T | undefined;
  error: { status: number; code: string; message: string } | undefined;
  updatedAt: number;
}

export type Fetcher<T> = (
  signal: AbortSignal,
) => Promise<{ ok: true; data: T } | { ok: false; status: number; error: { code: string; message: string } }>;

const IDLE: QueryEntry<never> = { status: 'idle', data: undefined, error: undefined, updatedAt: 0 };

export class QueryCache {
  private readonly entries = new Map<string, QueryEntry<unknown>>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly inflight = new Map<string, AbortController>();

  get<T>(key: string): QueryEntry<T> {
    return (this.entries.get(key) as QueryEntry<T> | undefined) ?? IDLE;
  }

  set<T>(key: string, update: (prev: QueryEntry<T>) => QueryEntry<T>): void {
    const prev = this.get<T>(key);
    const next = update(prev);
    if (next === prev) return;
    this.entries.set(key, next);
    for (const fn of this.listeners.get(key) ?? []) fn();
  }

  subscribe(key: string, fn: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) {
        this.listeners.delete(key);
        this.inflight.get(key)?.abort();
        this.inflight.delete(key);
      }
    };
  }

  /** Fetches unless a fetch for the key is in flight; keeps the last data while refetching and on errors. */
  async fetch<T>(key: string, fetcher: Fetcher<T>, now: () => number = Date.now): Promise<void> {
    if (this.inflight.has(key)) return;
    const ctl = new AbortController();
    this.inflight.set(key, ctl);
    this.set<T>(key, (p) => (p.status === 'idle' ? { ...p, status: 'loading' } : p));
    try {
      const r = await fetcher(ctl.signal);
      if (ctl.signal.aborted) return;
      this.set<T>(key, (p) =>
        r.ok
          ? { status: 'success', data: r.data, error: undefined, updatedAt: now() }
          : { status: 'error', data: p.data, error: { status: r.status, ...r.error }, updatedAt: now() },
      );
    } finally {
      if (this.inflight.get(key) === ctl) this.inflight.delete(key);
    }
  }
}

/** The browser's one cache. */
export const queryCache = new QueryCache();
