'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { RolloutPage } from '@/lib/rollout/page-patch';
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
 * A slice of the live rollout page: the panel renders again only when what `select` returns changes (the cache shares
 * unchanged parts structurally, the selection too). Pass a `select` defined once, outside the component.
 */
export function usePageSlice<T>(select: (page: RolloutPage) => T): T {
  const { where, initial } = useScope();
  const q = useQuery({
    queryKey: pageQueryKey(where),
    // Filled by the page's stream (RolloutPageStore), never fetched; forgotten when the page closes.
    queryFn: skipToken,
    initialData: initial,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    // Only a new selection renders the panel again (not the cache's timestamps).
    notifyOnChangeProps: ['data'],
    select,
  });
  // Defined: the query starts from initialData and is only ever set, never fetched or reset.
  return q.data as T;
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
