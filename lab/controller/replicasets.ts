import { normalizeTemplate } from './hash';
import {
  HASH_LABEL,
  type Pod,
  REVISION_ANNOTATION,
  type ReplicaSet,
  ROLLOUT_API_VERSION,
  type Rollout,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from './types';

export const revisionOf = (rs: ReplicaSet): number =>
  Number.parseInt(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '0', 10) || 0;
export const hashOf = (rs: ReplicaSet): string | undefined => rs.metadata.labels?.[HASH_LABEL];
export const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;
export const available = (rs: ReplicaSet | undefined): number => rs?.status?.availableReplicas ?? 0;
export const deadlineOf = (rs: ReplicaSet): string | undefined =>
  rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** Argo's AtDesiredReplicaCountsForCanary, for the new RS: asks for `desired` and has them all available. */
export function atDesiredCount(rs: ReplicaSet | undefined, desired: number): boolean {
  if (!rs) return desired === 0;
  return specReplicas(rs) === desired && available(rs) >= desired;
}

/** The ReplicaSet a new template revision gets: `<rollout>-<hash>`, owned by the Rollout. */
export function buildReplicaSet(ro: Rollout, hash: string, revision: number, replicas: number): ReplicaSet {
  const template = normalizeTemplate(ro.spec.template);
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [HASH_LABEL]: hash },
  };
  const matchLabels = { ...ro.spec.selector?.matchLabels, [HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${ro.metadata.name}-${hash}`,
      namespace: ro.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: { [REVISION_ANNOTATION]: String(revision) },
      ownerReferences: [
        {
          apiVersion: ROLLOUT_API_VERSION,
          kind: 'Rollout',
          name: ro.metadata.name ?? '',
          uid: ro.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas, selector: { matchLabels }, template },
  };
}

export const isPodReady = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
