import type { AnalysisRun, KubeObject, Pod, ReplicaSet, Rollout, VirtualService } from './kube-types';
import type { LoadJob } from './load-progress';
import type { RolloutContext } from './rollout-view';
import type { WatchedKind } from './watched-kinds';

/** The objects of one kind in one namespace, from wherever they are kept (informer cache or streamed copy). */
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

/**
 * A ListInNamespace over whole lists that groups each kind by namespace on first use: building every rollout's view
 * costs one pass over each kind instead of one per rollout (the overview of 1,000 rollouts).
 */
export function groupedByNamespace(all: (kind: WatchedKind) => readonly KubeObject[]): ListInNamespace {
  const groups = new Map<WatchedKind, Map<string, KubeObject[]>>();
  return (kind, ns) => {
    let byNs = groups.get(kind);
    if (!byNs) {
      byNs = new Map();
      for (const o of all(kind)) {
        const key = o.metadata?.namespace ?? '';
        const list = byNs.get(key);
        if (list) list.push(o);
        else byNs.set(key, [o]);
      }
      groups.set(kind, byNs);
    }
    return byNs.get(ns) ?? [];
  };
}
