'use client';
import { useMemo, useSyncExternalStore } from 'react';
import { initialOverviewState, type OverviewState, OverviewStore } from './overview-store';

/** Several stores as one external store: the snapshot is the array of their states, new when any of them changes. */
class OverviewGroup {
  private snapshot: OverviewState[];
  constructor(private readonly stores: OverviewStore[]) {
    this.snapshot = stores.map((s) => s.getSnapshot());
  }
  subscribe = (fn: () => void): (() => void) => {
    const offs = this.stores.map((s) => s.subscribe(fn));
    return () => {
      for (const off of offs) off();
    };
  };
  getSnapshot = (): OverviewState[] => {
    const next = this.stores.map((s) => s.getSnapshot());
    if (next.some((st, i) => st !== this.snapshot[i])) this.snapshot = next;
    return this.snapshot;
  };
}

const SERVER_STATE = initialOverviewState();

/**
 * The overview's rows across kube contexts: one `shape=summary` stream per context (`undefined` = the default one),
 * each with its own snapshot and resume id; `tagged`: rows carry their context (several are configured).
 */
export function useOverviewContexts(
  contexts: readonly (string | undefined)[],
  tagged: boolean,
): OverviewState[] {
  const key = contexts.map((c) => c ?? '').join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the joined key is the identity of the context list
  const group = useMemo(() => {
    const g = new OverviewGroup(contexts.map((c) => new OverviewStore(c, tagged ? c : undefined)));
    return { g, server: contexts.map(() => SERVER_STATE) };
  }, [key, tagged]);
  return useSyncExternalStore(group.g.subscribe, group.g.getSnapshot, () => group.server);
}
