import fs from 'node:fs';
import path from 'node:path';
import {
  demoStore,
  ensureBuilt,
  type Gateway,
  HASH_CANARY,
  HASH_STABLE,
  type LabStore,
  LOADGEN_ENTRY,
  type Prometheus,
  FIXTURE_RESOURCES as R,
  readyPods,
  replicaSet,
  seedIngressGateway,
  startGateway,
  startPrometheus,
  startWorkloads,
  tempDir,
  WEBAPP_ENTRY,
  waitFor,
} from '@control-center/lab/testing';
import { freePort } from '../../../support/testing/processes';

type Faults = Record<string, { errorRate?: number; latencyMs?: number }>;

/** What a webapp of `version` should run with under `faults` (env defaults 0, then "*", then its own entry). */
function expectedFaults(faults: Faults, version: string): { errorRate: number; latencyMs: number } {
  const pick = (k: 'errorRate' | 'latencyMs') => faults[version]?.[k] ?? faults['*']?.[k] ?? 0;
  return { errorRate: pick('errorRate'), latencyMs: pick('latencyMs') };
}

/**
 * Polls each webapp pod's log (the lab writes it to <dir>/logs/<ns>/<pod>/webapp.log) until the newest
 * `faults_config_loaded` line shows `faults` for that pod's version; fails naming the pods that have not.
 */
async function waitForFaultsLoaded(store: LabStore, dir: string, faults: Faults): Promise<void> {
  const lagging = () =>
    store.list(R.pods, { namespace: 'demo' }).items.flatMap((pod) => {
      const version = pod.metadata.labels?.version ?? '';
      const want = expectedFaults(faults, version);
      const file = path.join(dir, 'logs/demo', pod.metadata.name ?? '', 'webapp.log');
      const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
      const loaded = lines
        .filter((l) => l.includes('"faults_config_loaded"'))
        .map((l) => JSON.parse(l) as { faults?: { errorRate?: number; latencyMs?: number } })
        .at(-1)?.faults;
      const ok = loaded?.errorRate === want.errorRate && loaded?.latencyMs === want.latencyMs;
      return ok ? [] : [`${pod.metadata.name} (${version}) has ${JSON.stringify(loaded)}`];
    });
  await waitFor('every webapp pod to load the new faults', () => lagging().length === 0, 10_000).catch(
    (err: Error) => {
      throw new Error(`${err.message}: ${lagging().join('; ')}`);
    },
  );
}

export interface MeteredDemo {
  store: LabStore;
  gateway: Gateway;
  prometheus: Prometheus;
  /**
   * Sets the demo app's faults (ConfigMap webapp-faults), e.g. `{ 'v1.1': { errorRate: 0.2 } }`, and resolves once
   * every webapp pod has loaded them (its `faults_config_loaded` log line shows them).
   */
  setFaults(faults: Faults): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Real webapp processes (stable v1.0 and canary v1.1, one pod each) behind the lab gateway at the given weights, and
 * a real Prometheus scraping the gateway's Istio metrics every second. For tests of the metrics path end to end.
 * `buckets`: 'slo' (default) seeds the istio-ingressgateway Deployment with the statsHistogramBuckets annotation that
 * adds 300 ms, as the kind manifests and the lab's own seed do; 'envoy-default' leaves it out (Envoy's default buckets).
 */
export async function startMeteredDemo(
  name: string,
  weights: { stable: number; canary: number },
  opts: { buckets?: 'slo' | 'envoy-default' } = {},
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
    if ((opts.buckets ?? 'slo') === 'slo') seedIngressGateway(store);
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
    setFaults: async (faults) => {
      store.mutate(R.cm, 'demo', 'webapp-faults', (cm) => ({
        ...cm,
        data: { 'faults.json': JSON.stringify(faults) },
      }));
      await waitForFaultsLoaded(store, dir, faults);
    },
    stop,
  };
}
