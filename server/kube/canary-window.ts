import 'server-only';
import type { ReplicaSet, Rollout } from '@/lib/rollout/kube-types';
import type { InformerRegistry } from './registry';

/**
 * When the rollout's canary began, less a minute (ms since the epoch): the start of the time window dashboards
 * link to. Undefined when no canary is running (the current pod hash is the stable one) or its ReplicaSet is not
 * in the cache.
 */
export function canaryWindowStart(reg: InformerRegistry, namespace: string, ro: Rollout): number | undefined {
  const hash = ro.status?.currentPodHash;
  if (hash === undefined || hash === ro.status?.stableRS) return undefined;
  const canaryRs = (reg.list('replicaset', namespace) as ReplicaSet[]).find(
    (rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'] === hash,
  );
  const created = canaryRs?.metadata?.creationTimestamp;
  return created ? new Date(created).getTime() - 60_000 : undefined;
}
