import type { KubeObject } from './kube-types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

const rvNumber = (o: KubeObject): number | undefined => {
  const rv = o.metadata?.resourceVersion;
  if (!rv || !/^\d+$/.test(rv)) return undefined;
  return Number(rv);
};

/** True when `incoming` is older than `existing` (resourceVersions compared as numbers, as Headlamp's KubeList). */
export function isStale(existing: KubeObject, incoming: KubeObject): boolean {
  const a = rvNumber(existing);
  const b = rvNumber(incoming);
  return a !== undefined && b !== undefined && b < a;
}

const sameObject = (a: KubeObject, b: KubeObject): boolean =>
  a.metadata?.name === b.metadata?.name && (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');

/**
 * Applies one watch event to a list (pure; returns the same array when nothing changes): ADDED/MODIFIED replace the
 * object in place or append it, DELETED removes it; an event older than what the list holds is dropped.
 */
export function applyWatchEvent<T extends KubeObject>(list: readonly T[], event: WatchEvent<T>): T[] {
  const i = list.findIndex((o) => sameObject(o, event.object));
  const existing = i >= 0 ? list[i] : undefined;
  if (event.type === 'DELETED') {
    if (!existing || isStale(existing, event.object)) return list as T[];
    const uidA = existing.metadata?.uid;
    const uidB = event.object.metadata?.uid;
    if (uidA && uidB && uidA !== uidB) return list as T[];
    return list.filter((_, j) => j !== i);
  }
  if (!existing) return [...list, event.object];
  if (isStale(existing, event.object)) return list as T[];
  if (
    existing.metadata?.resourceVersion &&
    existing.metadata.resourceVersion === event.object.metadata?.resourceVersion
  )
    return list as T[];
  const next = [...list];
  next[i] = event.object;
  return next;
}
