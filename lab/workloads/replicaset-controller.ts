import { recordEvent } from '../runtime/events';
import { logReconcileError, objectKey, splitKey, WorkQueue } from '../runtime/work-queue';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import { parseLabelSelector } from '../store/selectors';
import type { KubeObject } from '../store/types';
import { controllerRef, isPodReady, isTerminal } from './owner';
import { type LabelSelector, labelSelectorString, type PodTemplate, podFromTemplate } from './pod-template';

const PODS = resource('pods');
const REPLICASETS = resource('replicasets');

interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

/** Keeps `spec.replicas` pods per ReplicaSet and writes its status. */
export function startReplicaSetController(store: LabStore): { stop(): void } {
  const reconcile = (key: string) => {
    const { namespace, name } = splitKey(key);
    const rs = store.get(REPLICASETS, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = (rs.spec ?? {}) as ReplicaSetSpec;
    const owned = store
      .list(PODS, { namespace })
      .items.filter((p) => controllerRef(p)?.uid === rs.metadata.uid);
    for (const p of owned.filter((p) => isTerminal(p) && !p.metadata.deletionTimestamp))
      deletePod(store, rs, p); // a finished pod does not count: it is replaced
    let active = owned.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const want = spec.replicas ?? 1;
    if (active.length < want && spec.template) {
      for (let i = active.length; i < want; i++) {
        const pod = store.create(PODS, podFromTemplate(rs, spec.template, `${name}-`));
        active.push(pod);
        recordEvent(
          store,
          rs,
          { eventType: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` },
          Date.now(),
          { component: 'replicaset-controller' },
        );
      }
    } else if (active.length > want) {
      const victims = [...active].sort(deletionOrder).slice(0, active.length - want);
      for (const p of victims) deletePod(store, rs, p);
      active = active.filter((p) => !victims.includes(p));
    }
    writeStatus(store, rs, spec, active, (ms) => queue.addAfter(key, ms));
  };
  const queue = new WorkQueue(reconcile, 0, logReconcileError('replicasets'));
  const unwatchRs = store.watch(REPLICASETS, {}, (ev) => queue.add(objectKey(ev.object)));
  const unwatchPods = store.watch(PODS, {}, (ev) => {
    const owner = controllerRef(ev.object);
    if (owner?.kind === 'ReplicaSet') queue.add(`${ev.object.metadata.namespace}/${owner.name}`);
  });
  return {
    stop() {
      unwatchRs();
      unwatchPods();
      void queue.stop();
    },
  };
}

function deletePod(store: LabStore, rs: KubeObject, p: KubeObject): void {
  try {
    store.delete(PODS, p.metadata.namespace, p.metadata.name ?? '');
    recordEvent(
      store,
      rs,
      { eventType: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` },
      Date.now(),
      { component: 'replicaset-controller' },
    );
  } catch {
    // already gone
  }
}

/** Scale-down order, as Kubernetes: not ready before ready, then the newest first. */
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return Number(b.metadata.resourceVersion ?? 0) - Number(a.metadata.resourceVersion ?? 0);
}

function readySince(p: KubeObject): number | undefined {
  const conds = (
    p.status as { conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }> }
  )?.conditions;
  const ready = conds?.find((c) => c.type === 'Ready' && c.status === 'True');
  return ready ? Date.parse(ready.lastTransitionTime ?? '') || 0 : undefined;
}

function writeStatus(
  store: LabStore,
  rs: KubeObject,
  spec: ReplicaSetSpec,
  active: KubeObject[],
  recheck: (ms: number) => void,
): void {
  const matches = parseLabelSelector(labelSelectorString(spec.selector));
  const minReadyMs = (spec.minReadySeconds ?? 0) * 1000;
  const now = Date.now();
  let ready = 0;
  let available = 0;
  let nextCheck = Number.POSITIVE_INFINITY;
  for (const p of active) {
    const since = readySince(p);
    if (since === undefined) continue;
    ready++;
    const wait = since + minReadyMs - now;
    if (wait <= 0) available++;
    else nextCheck = Math.min(nextCheck, wait);
  }
  if (Number.isFinite(nextCheck)) recheck(nextCheck + 50);
  const prev = (rs.status ?? {}) as Record<string, unknown>;
  const status = {
    ...prev,
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) => matches(p)).length,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  try {
    const current = store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name ?? '');
    if (current && current.metadata.uid === rs.metadata.uid)
      store.update(REPLICASETS, { ...current, status }, { subresource: 'status' });
  } catch (err) {
    console.error('[lab replicasets] status:', (err as Error).message);
  }
}
