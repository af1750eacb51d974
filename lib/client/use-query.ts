'use client';
import { useQuery as useCachedQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';

/** A keyed answer as the panels read it: the last data is kept while refetching and after an error. */
export interface QueryEntry<T> {
  status: 'idle' | 'loading' | 'success' | 'error';
  data: T | undefined;
  error: { status: number; code: string; message: string } | undefined;
  updatedAt: number;
}

export type Fetcher<T> = (
  signal: AbortSignal,
) => Promise<{ ok: true; data: T } | { ok: false; status: number; error: { code: string; message: string } }>;

/** An API answer that was not OK, as the cache keeps it. */
export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface QueryOptions {
  /** Refetch every so many ms while mounted (and the tab is visible); off when undefined. */
  refetchIntervalMs?: number;
  enabled?: boolean;
}

/** The cache key of a `useQuery` key string (for refetching it from elsewhere). */
export const queryKeyOf = (key: string) => ['api', key] as const;

/** Reads a keyed query from the cache (@tanstack/react-query), fetching on mount and every `refetchIntervalMs`. */
export function useQuery<T>(key: string, fetcher: Fetcher<T>, opts: QueryOptions = {}): QueryEntry<T> {
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const q = useCachedQuery<T, QueryError>({
    queryKey: queryKeyOf(key),
    queryFn: async ({ signal }) => {
      const r = await fetcherRef.current(signal);
      if (r.ok) return r.data;
      throw new QueryError(r.status, r.error.code, r.error.message);
    },
    enabled: opts.enabled ?? true,
    refetchInterval: opts.refetchIntervalMs ?? false,
  });
  const { status, fetchStatus, data, error, dataUpdatedAt, errorUpdatedAt } = q;
  return useMemo(
    () => ({
      status: status === 'pending' ? (fetchStatus === 'fetching' ? 'loading' : 'idle') : status,
      data,
      error: error
        ? {
            status: error instanceof QueryError ? error.status : 0,
            code: error instanceof QueryError ? error.code : 'network',
            message: error.message,
          }
        : undefined,
      updatedAt: Math.max(dataUpdatedAt, errorUpdatedAt),
    }),
    [status, fetchStatus, data, error, dataUpdatedAt, errorUpdatedAt],
  );
}
