'use client';
import { useMemo, useSyncExternalStore } from 'react';
import { initialLiveState, type LiveState } from './live-state';
import { LiveStore } from './live-store';

const SERVER_STATE = initialLiveState();

/**
 * The page's live state from one SSE connection (`/api/v1/stream?namespace=&rollout=`): the store connects on the
 * first subscriber and disconnects with the last one.
 */
export function useLive(namespace?: string, rollout?: string): LiveState {
  const store = useMemo(() => new LiveStore({ namespace, rollout }), [namespace, rollout]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => SERVER_STATE);
}
