import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import type { Observed } from './decide-types';
import { HASH_LABEL, type Rollout } from './types';

export const RT = {
  rollouts: resource('rollouts'),
  rs: resource('replicasets'),
  ar: resource('analysisruns'),
  at: resource('analysistemplates'),
  cat: resource('clusteranalysistemplates'),
  svc: resource('services'),
  vs: resource('virtualservices'),
  pods: resource('pods'),
};

export const ownedBy = (o: KubeObject, uid: string | undefined): boolean =>
  !!uid && (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller);

/** Reads everything decide() needs about one Rollout from the store. */
export function observe(store: LabStore, ns: string, name: string, now: number): Observed | undefined {
  const rollout = store.get(RT.rollouts, ns, name) as Rollout | undefined;
  if (!rollout || rollout.metadata.deletionTimestamp) return undefined;
  const uid = rollout.metadata.uid;
  const replicaSets = store
    .list(RT.rs, { namespace: ns })
    .items.filter((o) => ownedBy(o, uid)) as Observed['replicaSets'];
  const hashes = new Set(replicaSets.map((rs) => rs.metadata.labels?.[HASH_LABEL]));
  const vsName = rollout.spec.strategy?.canary?.trafficRouting?.istio?.virtualService?.name;
  return {
    now,
    rollout,
    replicaSets,
    analysisRuns: store
      .list(RT.ar, { namespace: ns })
      .items.filter((o) => ownedBy(o, uid)) as Observed['analysisRuns'],
    analysisTemplates: store.list(RT.at, { namespace: ns }).items as Observed['analysisTemplates'],
    clusterAnalysisTemplates: store.list(RT.cat).items as Observed['clusterAnalysisTemplates'],
    services: store.list(RT.svc, { namespace: ns }).items as Observed['services'],
    virtualService: vsName ? (store.get(RT.vs, ns, vsName) as Observed['virtualService']) : undefined,
    pods: store
      .list(RT.pods, { namespace: ns })
      .items.filter((p) => hashes.has(p.metadata.labels?.[HASH_LABEL])) as Observed['pods'],
  };
}
