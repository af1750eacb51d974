'use client';
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { type Fetcher, type QueryCache, type QueryEntry, queryCache } from './query-cache';

export interface QueryOptions {
  /** Refetch every so many ms while mounted (and the tab is visible); off when undefined. */
  refetchIntervalMs?: number;
  enabled?: boolean;
  cache?: QueryCache;
}

/** Reads a keyed query from the cache, fetching on mount, on key change and every `refetchIntervalMs`. */
export function useQuery<T>(key: string, fetcher: Fetcher<T>, opts: QueryOptions = {}): QueryEntry<T> {
  const cache = opts.cache ?? queryCache;
  const enabled = opts.enabled ?? true;
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const subscribe = useCallback((fn: () => void) => cache.subscribe(key, fn), [cache, key]);
  const get = useCallback(() => cache.get<T>(key), [cache, key]);
  const entry = useSyncExternalStore(subscribe, get, get);
  useEffect(() => {
    if (!enabled) return;
    const run = () => {
      if (document.visibilityState === 'visible') void cache.fetch<T>(key, (s) => fetcherRef.current(s));
    };
    run();
    if (!opts.refetchIntervalMs) return;
    const timer = setInterval(run, opts.refetchIntervalMs);
    return () => clearInterval(timer);
  }, [cache, key, enabled, opts.refetchIntervalMs]);
  return entry;
}
