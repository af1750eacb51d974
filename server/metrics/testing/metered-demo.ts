import fs from 'node:fs';
import { type Gateway, startGateway } from '../../lab/gateway/index';
import { type Prometheus, startPrometheus } from '../../lab/metrics/prometheus';
import type { LabStore } from '../../lab/store/lab-store';
import { startWorkloads } from '../../lab/workloads/index';
import {
  demoStore,
  ensureBuilt,
  HASH_CANARY,
  HASH_STABLE,
  LOADGEN_ENTRY,
  R,
  readyPods,
  replicaSet,
  tempDir,
  WEBAPP_ENTRY,
  waitFor,
} from '../../lab/workloads/testing/lab-fixtures';
import { freePort } from '../../testing/processes';

export interface MeteredDemo {
  store: LabStore;
  gateway: Gateway;
  prometheus: Prometheus;
  /** Sets the demo app's faults (ConfigMap webapp-faults), e.g. `{ 'v1.1': { errorRate: 0.2 } }`. */
  setFaults(faults: Record<string, { errorRate?: number; latencyMs?: number }>): void;
  stop(): Promise<void>;
}

/**
 * Real webapp processes (stable v1.0 and canary v1.1, one pod each) behind the lab gateway at the given weights, and
 * a real Prometheus scraping the gateway's Istio metrics every second. For tests of the metrics path end to end.
 */
export async function startMeteredDemo(
  name: string,
  weights: { stable: number; canary: number },
): Promise<MeteredDemo> {
  ensureBuilt();
  const dir = tempDir(name);
  const store = demoStore(dir, weights);
  const workloads = startWorkloads({ store, dir, webappEntry: WEBAPP_ENTRY, loadgenEntry: LOADGEN_ENTRY });
  let gateway: Gateway | undefined;
  let prometheus: Prometheus | null = null;
  const stop = async () => {
    await prometheus?.stop();
    await gateway?.stop();
    await workloads.stop();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    store.create(R.rs, replicaSet('webapp-stable-rs', 'v1.0', HASH_STABLE, 1));
    store.create(R.rs, replicaSet('webapp-canary-rs', 'v1.1', HASH_CANARY, 1));
    gateway = await startGateway({ store, port: 0 });
    await waitFor(
      'pods ready',
      () => readyPods(store, HASH_CANARY).length === 1 && readyPods(store, HASH_STABLE).length === 1,
    );
    prometheus = await startPrometheus({
      dir,
      port: await freePort(),
      targets: [{ job: 'istio-ingressgateway', url: gateway.metricsUrl }],
      scrapeIntervalSeconds: 1,
    });
    if (!prometheus) throw new Error('prometheus is not installed (./run.sh install adds it)');
  } catch (err) {
    await stop();
    throw err;
  }
  const gw = gateway;
  const prom = prometheus;
  return {
    store,
    gateway: gw,
    prometheus: prom,
    setFaults: (faults) =>
      store.mutate(R.cm, 'demo', 'webapp-faults', (cm) => ({
        ...cm,
        data: { 'faults.json': JSON.stringify(faults) },
      })),
    stop,
  };
}
