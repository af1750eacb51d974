import 'server-only';
import type { KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { ownedBy } from '@/lib/rollout/ownership';
import type { StreamKind } from './hub';

export interface StreamFilter {
  namespace?: string;
  rollout?: string;
}

type Lookup = (namespace: string, name: string) => Rollout | undefined;

/**
 * Whether an event belongs on a page that subscribed to `filter`: the namespace, and with a rollout the objects of
 * that rollout (its ReplicaSets, AnalysisRuns and pods, its VirtualService, events about any of them, its load Jobs).
 */
export function matches(filter: StreamFilter, kind: StreamKind, object: KubeObject, lookup: Lookup): boolean {
  if (kind === 'status') return true;
  const ns = object.metadata?.namespace ?? '';
  if (filter.namespace && ns !== filter.namespace) return false;
  const ro = filter.rollout;
  if (!ro) return true;
  const name = object.metadata?.name ?? '';
  const prefixed = (n: string | undefined) => n === ro || (n ?? '').startsWith(`${ro}-`);
  switch (kind) {
    case 'rollout':
      return name === ro;
    case 'replicaset':
    case 'analysisrun':
      return ownedBy(object, 'Rollout', ro);
    case 'pod':
      return (object.metadata?.ownerReferences ?? []).some(
        (r) => r.kind === 'ReplicaSet' && prefixed(r.name),
      );
    case 'event':
      return prefixed((object.involvedObject as { name?: string } | undefined)?.name);
    case 'job':
      return object.metadata?.labels?.rollout === ro;
    case 'virtualservice':
      return lookup(ns, ro)?.spec?.strategy?.canary?.trafficRouting?.istio?.virtualService?.name === name;
    case 'configmap':
      return true;
  }
}
