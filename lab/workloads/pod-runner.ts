import { logReconcileError, objectKey, splitKey, WorkQueue } from '../runtime/work-queue';
import { resource } from '../store/resources';
import { isTerminal } from './owner';
import { PodWorker, type PodWorkerContext } from './pod-worker';

const PODS = resource('pods');

export interface PodRunnerOptions extends PodWorkerContext {
  /** Cap on terminationGracePeriodSeconds (default 10 s in the lab). */
  maxGraceSeconds?: number;
  /** Grace for processes when the lab itself stops (default 5 s). */
  shutdownGraceMs?: number;
}

/**
 * The lab's kubelet: one PodWorker per pod that is not finished. A pod deleted from the store (or marked with a
 * deletionTimestamp) is terminated; a deletionTimestamp pod is removed from the store once its processes exited.
 */
export function startPodRunner(opts: PodRunnerOptions): { stop(): Promise<void> } {
  const { store } = opts;
  const workers = new Map<string, PodWorker>();
  const stopping = new Set<Promise<void>>();

  const grace = (pod: { spec?: unknown } | undefined): number => {
    const s = (pod?.spec as { terminationGracePeriodSeconds?: number } | undefined)
      ?.terminationGracePeriodSeconds;
    return Math.min(s ?? 30, opts.maxGraceSeconds ?? 10) * 1000;
  };
  const track = (p: Promise<void>) => {
    stopping.add(p);
    void p.finally(() => stopping.delete(p));
  };

  const reconcile = (key: string) => {
    const { namespace, name } = splitKey(key);
    const pod = store.get(PODS, namespace, name);
    let worker = workers.get(key);
    if (worker && (!pod || pod.metadata.uid !== worker.uid)) {
      workers.delete(key);
      track(worker.terminate(grace(pod), { detach: false }));
      worker = undefined;
    }
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) {
      const w = worker;
      workers.delete(key);
      const uid = pod.metadata.uid;
      track(
        (w ? w.terminate(grace(pod), { detach: false }) : Promise.resolve()).then(() => {
          const still = store.get(PODS, namespace, name);
          if (still && still.metadata.uid === uid) store.delete(PODS, namespace, name);
        }),
      );
      return;
    }
    if (worker || isTerminal(pod)) return;
    const w = new PodWorker(opts, pod);
    workers.set(key, w);
    w.start().catch((err: Error) => console.error(`[lab pods] ${key} failed to start:`, err.message));
  };

  const queue = new WorkQueue(reconcile, 0, logReconcileError('pods'));
  const unwatchPods = store.watch(PODS, {}, (ev) => queue.add(objectKey(ev.object)));
  const unwatchCm = store.watch(resource('configmaps'), {}, (ev) => {
    const name = ev.object.metadata.name ?? '';
    setImmediate(() => {
      for (const w of workers.values())
        if (w.namespace === ev.object.metadata.namespace && w.mountsConfigMap(name)) w.resyncVolumes();
    });
  });
  const unwatchSecrets = store.watch(resource('secrets'), {}, (ev) => {
    const name = ev.object.metadata.name ?? '';
    setImmediate(() => {
      for (const w of workers.values())
        if (w.namespace === ev.object.metadata.namespace && w.mountsSecret(name)) w.resyncVolumes();
    });
  });

  return {
    async stop() {
      unwatchPods();
      unwatchCm();
      unwatchSecrets();
      await queue.stop();
      const all = [...workers.values()].map((w) =>
        w.terminate(opts.shutdownGraceMs ?? 5000, { detach: true }),
      );
      workers.clear();
      await Promise.all([...all, ...stopping]);
    },
  };
}
