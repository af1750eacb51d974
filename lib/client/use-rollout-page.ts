'use client';
import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type { RolloutPage } from '@/lib/rollout/page-patch';
import { pageSlice } from './page-slice';
import { initialLink, linkQueryKey, type PageLink, type PageWhere, pageQueryKey } from './rollout-page-store';
import { useNow } from './use-now';

/** The rollout page around a panel: which one, what the server rendered, and its clock at render. */
export interface PageScope {
  where: PageWhere;
  initial: RolloutPage;
  initialNow: number;
}

export const PageScopeContext = createContext<PageScope | null>(null);

function useScope(): PageScope {
  const scope = useContext(PageScopeContext);
  if (!scope) throw new Error('a rollout page panel is rendered outside RolloutPageScope');
  return scope;
}

/**
 * The live page's entry in the query cache, kept while the page is open (one observer, which never renders anything:
 * the panels read their slices straight from the entry), holding the server-rendered page until the stream's snapshot.
 */
export function useLivePageEntry(scope: PageScope): void {
  useQuery({
    queryKey: pageQueryKey(scope.where),
    // Filled by the page's stream (RolloutPageStore), never fetched; forgotten when the page closes.
    queryFn: skipToken,
    initialData: scope.initial,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    notifyOnChangeProps: [],
  });
}

/**
 * A slice of the live rollout page: the panel renders again only when what `select` returns changes (the cache shares
 * unchanged parts structurally, the selection too; lib/client/page-slice.ts). Pass a `select` defined once, outside
 * the component.
 */
export function usePageSlice<T>(select: (page: RolloutPage) => T): T {
  const { where, initial } = useScope();
  const client = useQueryClient();
  const slice = useMemo(() => pageSlice(client, where, initial, select), [client, where, initial, select]);
  return useSyncExternalStore(slice.subscribe, slice.get, slice.get);
}

/** The page's stream connection (live indicator, banner). */
export function usePageLink(): PageLink {
  const { where } = useScope();
  const q = useQuery({
    queryKey: linkQueryKey(where),
    queryFn: skipToken,
    initialData: initialLink,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    notifyOnChangeProps: ['data'],
  });
  return q.data as PageLink;
}

const counts = (p: RolloutPage): boolean =>
  Boolean(p.view?.pause?.resumesAt || p.view?.load?.state === 'running' || p.view?.load?.state === 'pending');

/**
 * The clock of a panel that counts (a timed pause's "resumes in", a running load's progress): every second while
 * something on the page counts; while nothing does, it does not tick (the relative times elsewhere keep their own
 * clock, `useTickingText`), so these panels do not render for time at rest.
 */
export function usePageClock(): number {
  const { initialNow } = useScope();
  const counting = usePageSlice(counts);
  return useNow(counting ? 1000 : null, initialNow);
}
