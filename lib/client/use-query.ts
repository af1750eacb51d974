'use client';
import { useQuery as useCachedQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { untilRound } from './page-frame';

/**
 * A keyed answer as the panels read it: the last data is kept while refetching and after an error. The same object
 * until the data or the error changes: a refetch that brings the same answer renders nothing.
 */
export interface QueryEntry<T> {
  data: T | undefined;
  error: { status: number; code: string; message: string } | undefined;
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

export interface QueryOptions<T, S> {
  /**
   * Refetch every so many ms while mounted (and the tab is visible), on the wall clock's round multiples of it
   * (`untilRound`); off when undefined.
   */
  refetchIntervalMs?: number;
  enabled?: boolean;
  /**
   * The part of the answer the component reads (define it once, outside the component): it renders again only when
   * that part changes, not on every answer.
   */
  select?: (data: T) => S;
  /**
   * How a new answer keeps the objects of the previous one it equals (default: the query cache's structural sharing,
   * which pairs array items by index; a list that grows at the top wants `shareByKey`).
   */
  share?: (prev: T | undefined, next: T) => T;
}

/** The cache key of a `useQuery` key string (for refetching it from elsewhere). */
export const queryKeyOf = (key: string) => ['api', key] as const;

/** Reads a keyed query from the cache (@tanstack/react-query), fetching on mount and every `refetchIntervalMs`. */
export function useQuery<T, S = T>(
  key: string,
  fetcher: Fetcher<T>,
  opts: QueryOptions<T, S> = {},
): QueryEntry<S> {
  const fetcherRef = useRef(fetcher);
  const share = opts.share;
  fetcherRef.current = fetcher;
  const { data, error } = useCachedQuery<T, QueryError, S>({
    queryKey: queryKeyOf(key),
    queryFn: async ({ signal }) => {
      const r = await fetcherRef.current(signal);
      if (r.ok) return r.data;
      throw new QueryError(r.status, r.error.code, r.error.message);
    },
    enabled: opts.enabled ?? true,
    // On the page's round instants, as its clock (page-frame.ts): the answers render with its ticks.
    refetchInterval: opts.refetchIntervalMs ? () => untilRound(opts.refetchIntervalMs as number) : false,
    select: opts.select,
    structuralSharing: share ? (prev, next) => share(prev as T | undefined, next as T) : true,
    // Only what the panels show renders them: not the start and end of each fetch, nor the cache's timestamps.
    notifyOnChangeProps: ['data', 'error'],
  });
  return useMemo(
    () => ({
      data,
      error: error
        ? {
            status: error instanceof QueryError ? error.status : 0,
            code: error instanceof QueryError ? error.code : 'network',
            message: error.message,
          }
        : undefined,
    }),
    [data, error],
  );
}
