import { POD_HASH_LABEL, REVISION_ANNOTATION, type ReplicaSet, type Rollout } from './kube-types';
import { ownedBy } from './ownership';

export interface RevisionView {
  revision: number;
  podHash: string;
  images: string[];
  replicas: number;
  ready: number;
  createdAt: string | null;
  isStable: boolean;
  isCanary: boolean;
}

export const revisionOf = (rs: ReplicaSet): number => {
  const n = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) ? n : 0;
};

export const podHashOf = (rs: ReplicaSet): string =>
  rs.metadata?.labels?.[POD_HASH_LABEL] ?? rs.spec?.template?.metadata?.labels?.[POD_HASH_LABEL] ?? '';

export const imagesOf = (t: { spec?: { containers?: Array<{ image?: string }> } } | undefined): string[] =>
  (t?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean);

/** The ReplicaSets a rollout owns, newest revision first. */
export function ownedReplicaSets(ro: Rollout, replicaSets: ReplicaSet[]): ReplicaSet[] {
  const name = ro.metadata?.name ?? '';
  return replicaSets
    .filter((rs) => rs.metadata?.namespace === ro.metadata?.namespace && ownedBy(rs, 'Rollout', name))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}

/** One row per ReplicaSet revision (Argo's ReplicaSetInfo), newest first. */
export function revisionViews(ro: Rollout, replicaSets: ReplicaSet[]): RevisionView[] {
  const stable = ro.status?.stableRS;
  const current = ro.status?.currentPodHash;
  return ownedReplicaSets(ro, replicaSets).map((rs) => {
    const podHash = podHashOf(rs);
    return {
      revision: revisionOf(rs),
      podHash,
      images: imagesOf(rs.spec?.template),
      replicas: rs.spec?.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      createdAt: rs.metadata?.creationTimestamp ?? null,
      isStable: podHash !== '' && podHash === stable,
      isCanary: podHash !== '' && podHash === current && current !== stable,
    };
  });
}
