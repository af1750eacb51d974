import { isDeepStrictEqual } from 'node:util';
import { recordEvent } from '../runtime/events';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import type { Action } from './decide-types';
import { withWeights } from './traffic';
import { HASH_LABEL, type ReplicaSet, type Rollout, type Service, type VirtualService } from './types';

const R = {
  rs: resource('replicasets'),
  svc: resource('services'),
  vs: resource('virtualservices'),
  ar: resource('analysisruns'),
  pods: resource('pods'),
};

/** Changes one object only when the change does something (no write, no watch event otherwise). */
function change<T extends KubeObject>(
  store: LabStore,
  rt: typeof R.rs,
  ns: string,
  name: string,
  fn: (o: T) => void,
): void {
  if (!store.get(rt, ns, name)) return;
  store.mutate(rt, ns, name, (cur) => {
    const next = structuredClone(cur) as T;
    fn(next);
    return isDeepStrictEqual(next, cur) ? undefined : next;
  });
}

/** Applies decide()'s actions in order; each is idempotent (creating what exists or deleting what is gone is a no-op). */
export function applyActions(store: LabStore, ro: Rollout, actions: Action[], now: number): void {
  const ns = ro.metadata.namespace ?? 'default';
  for (const a of actions) {
    switch (a.type) {
      case 'createReplicaSet':
        if (!store.get(R.rs, ns, a.replicaSet.metadata.name ?? '')) store.create(R.rs, a.replicaSet);
        break;
      case 'scaleReplicaSet':
        change<ReplicaSet>(store, R.rs, ns, a.name, (rs) => {
          rs.spec.replicas = a.replicas;
        });
        break;
      case 'annotateReplicaSet':
        change<ReplicaSet>(store, R.rs, ns, a.name, (rs) => {
          const ann = { ...rs.metadata.annotations };
          for (const [k, v] of Object.entries(a.annotations)) {
            if (v === null) delete ann[k];
            else ann[k] = v;
          }
          rs.metadata.annotations = ann;
        });
        break;
      case 'deleteReplicaSet':
        if (store.get(R.rs, ns, a.name)) store.delete(R.rs, ns, a.name);
        break;
      case 'setServiceSelector':
        change<Service>(store, R.svc, ns, a.service, (svc) => {
          svc.spec = { ...svc.spec, selector: { ...svc.spec?.selector, [HASH_LABEL]: a.hash } };
        });
        break;
      case 'setWeights':
        change<VirtualService>(store, R.vs, ns, a.virtualService, (vs) => {
          const next = withWeights(vs, a, a.weight);
          vs.spec = next.spec;
        });
        break;
      case 'createAnalysisRun':
        if (!store.get(R.ar, ns, a.analysisRun.metadata.name ?? '')) store.create(R.ar, a.analysisRun);
        break;
      case 'terminateAnalysisRun':
        change<KubeObject & { spec: { terminate?: boolean } }>(store, R.ar, ns, a.name, (r) => {
          r.spec = { ...r.spec, terminate: true };
        });
        break;
      case 'deletePod':
        if (store.get(R.pods, ns, a.name)) store.delete(R.pods, ns, a.name);
        break;
      case 'event':
        recordEvent(store, ro, a, now);
        break;
    }
  }
}
