'use client';
import { useMemo, useSyncExternalStore } from 'react';
import { initialLiveState, type LiveState } from './live-state';
import { LiveStore } from './live-store';

const SERVER_STATE = initialLiveState();

/**
 * The page's live state from one SSE connection (`/api/v1/stream?context=&namespace=&rollout=`): the store connects on
 * the first subscriber and disconnects with the last one.
 */
export function useLive(namespace?: string, rollout?: string, context?: string): LiveState {
  const store = useMemo(() => new LiveStore({ namespace, rollout, context }), [namespace, rollout, context]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => SERVER_STATE);
}

/** Several stores as one external store: the snapshot is the array of their states, new when any of them changes. */
class LiveGroup {
  private snapshot: LiveState[];
  constructor(private readonly stores: LiveStore[]) {
    this.snapshot = stores.map((s) => s.getSnapshot());
  }
  subscribe = (fn: () => void): (() => void) => {
    const offs = this.stores.map((s) => s.subscribe(fn));
    return () => {
      for (const off of offs) off();
    };
  };
  getSnapshot = (): LiveState[] => {
    const next = this.stores.map((s) => s.getSnapshot());
    if (next.some((st, i) => st !== this.snapshot[i])) this.snapshot = next;
    return this.snapshot;
  };
}

/**
 * The overview across kube contexts: one stream per context (`undefined` = the default context), each with its own
 * snapshot and resume id.
 */
export function useLiveContexts(contexts: readonly (string | undefined)[]): LiveState[] {
  const key = contexts.map((c) => c ?? '').join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the joined key is the identity of the context list
  const group = useMemo(() => {
    const g = new LiveGroup(contexts.map((context) => new LiveStore({ context })));
    return { g, server: contexts.map(() => SERVER_STATE) };
  }, [key]);
  return useSyncExternalStore(group.g.subscribe, group.g.getSnapshot, () => group.server);
}
