'use client';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo } from 'react';
import { initialPage, type PageWhere, RolloutPageStore } from '@/lib/client/rollout-page-store';
import { type PageScope, PageScopeContext, useLivePageEntry } from '@/lib/client/use-rollout-page';
import type { RolloutView } from '@/lib/rollout/rollout-view';

/**
 * The live rollout page for the panels inside: opens the page's stream (`shape=view`) into the query cache while
 * mounted; until its snapshot arrives the panels show the server-rendered view.
 */
export function RolloutPageScope({
  context,
  namespace,
  name,
  initialView,
  initialNow,
  children,
}: {
  context?: string;
  namespace: string;
  name: string;
  initialView: RolloutView | null;
  initialNow: number;
  children: ReactNode;
}) {
  const client = useQueryClient();
  const where = useMemo<PageWhere>(() => ({ context, namespace, name }), [context, namespace, name]);
  // The server-rendered view and clock are the page's start; later renders of the server component change neither.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fixed at the page's first render
  const scope = useMemo<PageScope>(() => ({ where, initial: initialPage(initialView), initialNow }), [where]);
  useLivePageEntry(scope);
  useEffect(() => {
    const store = new RolloutPageStore(client, where);
    store.start();
    return () => store.stop();
  }, [client, where]);
  return <PageScopeContext.Provider value={scope}>{children}</PageScopeContext.Provider>;
}
