import type { AnalysisRun, KubeObject, Pod, ReplicaSet, Rollout, VirtualService } from './kube-types';
import type { LoadJob } from './load-progress';
import type { RolloutContext } from './rollout-view';
import type { WatchedKind } from './watched-kinds';

/** The objects of one kind in one namespace, as the informer cache keeps them. */
export type ListInNamespace = (kind: WatchedKind, namespace: string) => readonly KubeObject[];

/** The objects a rollout's view is built from: its namespace's ReplicaSets, runs, pods, Jobs and its VirtualService. */
export function rolloutContext(ro: Rollout, list: ListInNamespace, now: number): RolloutContext {
  const ns = ro.metadata?.namespace ?? '';
  const vsName = ro.spec?.strategy?.canary?.trafficRouting?.istio?.virtualService?.name;
  return {
    replicaSets: list('replicaset', ns) as ReplicaSet[],
    analysisRuns: list('analysisrun', ns) as AnalysisRun[],
    pods: list('pod', ns) as Pod[],
    virtualService: vsName
      ? (list('virtualservice', ns).find((v) => v.metadata?.name === vsName) as VirtualService | undefined)
      : undefined,
    jobs: list('job', ns) as LoadJob[],
    now,
  };
}
