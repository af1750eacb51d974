import { isDeepStrictEqual } from 'node:util';
import { WorkQueue } from '../runtime/work-queue';
import type { LabStore } from '../store/lab-store';
import type { KubeObject, WatchEvent } from '../store/types';
import { applyActions } from './apply';
import { decide } from './decide';
import { observe, RT } from './observe';
import type { Rollout } from './types';

export interface ControllerOptions {
  store: LabStore;
  now?: () => number;
  /** Reconcile every Rollout this often even without changes (ms, default 30 s). */
  resyncMs?: number;
  debounceMs?: number;
  log?: (msg: string) => void;
}

const key = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** Watches Rollouts and what they own or reference; reconciles one Rollout at a time each, requeueing instead of sleeping. */
export function startRolloutController(opts: ControllerOptions): { stop(): Promise<void> } {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const queue = new WorkQueue(
    async (k) => reconcile(k),
    opts.debounceMs ?? 20,
    (k, e) => log(`rollout ${k}: ${(e as Error).message}`),
  );

  async function reconcile(k: string): Promise<void> {
    const [ns = '', name = ''] = k.split('/');
    const t = now();
    const obs = observe(store, ns, name, t);
    if (!obs) return;
    const d = decide(obs);
    applyActions(store, obs.rollout, d.actions, t);
    if (!isDeepStrictEqual(d.status, obs.rollout.status ?? {})) {
      try {
        store.update(RT.rollouts, { ...obs.rollout, status: d.status }, { subresource: 'status' });
      } catch (e) {
        if ((e as { code?: number }).code === 409) queue.add(k);
        else throw e;
      }
    }
    if (d.requeueAfterMs !== undefined) queue.addAfter(k, d.requeueAfterMs + 5);
  }

  const enqueueOwners = (o: KubeObject): void => {
    for (const k of owners(o)) queue.add(k);
  };
  const owners = (o: KubeObject): string[] =>
    (o.metadata.ownerReferences ?? [])
      .filter((r) => r.kind === 'Rollout' && r.controller)
      .map((r) => key(o.metadata.namespace, r.name));
  const allIn = (ns: string | undefined) => {
    for (const r of store.list(RT.rollouts, ns ? { namespace: ns } : {}).items)
      queue.add(key(r.metadata.namespace, r.metadata.name));
  };

  const stops = [
    store.watch(RT.rollouts, {}, (ev: WatchEvent) =>
      queue.add(key(ev.object.metadata.namespace, ev.object.metadata.name)),
    ),
    store.watch(RT.rs, {}, (ev) => enqueueOwners(ev.object)),
    store.watch(RT.ar, {}, (ev) => enqueueOwners(ev.object)),
    store.watch(RT.pods, { resourceVersion: store.currentResourceVersion() }, (ev) => {
      for (const ref of ev.object.metadata.ownerReferences ?? []) {
        if (ref.kind !== 'ReplicaSet') continue;
        const rs = store.get(RT.rs, ev.object.metadata.namespace, ref.name);
        if (rs) enqueueOwners(rs);
      }
    }),
    ...[RT.svc, RT.vs, RT.at].map((rt) =>
      store.watch(rt, { resourceVersion: store.currentResourceVersion() }, (ev) =>
        allIn(ev.object.metadata.namespace),
      ),
    ),
    store.watch(RT.cat, { resourceVersion: store.currentResourceVersion() }, () => allIn(undefined)),
  ];
  const resync = setInterval(() => allIn(undefined), opts.resyncMs ?? 30_000);
  resync.unref?.();
  return {
    async stop() {
      clearInterval(resync);
      for (const s of stops) s();
      await queue.stop();
    },
  };
}

export type { Rollout };
