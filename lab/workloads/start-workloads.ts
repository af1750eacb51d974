import path from 'node:path';
import type { LabStore } from '../store/lab-store';
import { startJobController } from './job-controller';
import { startPodRunner } from './pod-runner';
import { startReplicaSetController } from './replicaset-controller';

export interface WorkloadsOptions {
  store: LabStore;
  /** The lab's data directory: logs under `<dir>/logs`, volumes under `<dir>/volumes`. */
  dir: string;
  /** `webapp/dist/server.js` */
  webappEntry: string;
  /** `loadgen/dist/cli.js` */
  loadgenEntry: string;
  host?: string;
  /** Cap on a pod's terminationGracePeriodSeconds (default 10). */
  maxGraceSeconds?: number;
  /** Readiness poll interval (default 250 ms). */
  probeIntervalMs?: number;
}

export interface Workloads {
  /** Stops the controllers and every process (the store is left as it is: a later start brings pods back). */
  stop(): Promise<void>;
}

/** The lab's ReplicaSet and Job controllers and its kubelet (pods as local processes). */
export function startWorkloads(opts: WorkloadsOptions): Workloads {
  const host = opts.host ?? '127.0.0.1';
  const pods = startPodRunner({
    store: opts.store,
    dir: path.resolve(opts.dir),
    host,
    webappEntry: path.resolve(opts.webappEntry),
    loadgenEntry: path.resolve(opts.loadgenEntry),
    maxGraceSeconds: opts.maxGraceSeconds,
    probeIntervalMs: opts.probeIntervalMs,
  });
  const replicaSets = startReplicaSetController(opts.store);
  const jobs = startJobController(opts.store);
  return {
    async stop() {
      replicaSets.stop();
      jobs.stop();
      await pods.stop();
    },
  };
}
