import type { KubeObject } from './kube-types';

/** Whether `obj` names the object `kind`/`name` as an owner. */
export function ownedBy(obj: KubeObject, kind: string, name: string): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r) => r.kind === kind && r.name === name);
}

/** A key for an object: "<namespace>/<name>" (cluster-scoped objects have an empty namespace). */
export const objectKey = (obj: KubeObject): string =>
  `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
