import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { FromGateway, ToGateway } from './gateway-messages';
import { type GatewayServerOptions, METRICS_PATH, WINDOW_PATH } from './gateway-server';
import { type GatewayLog, watchIngressGateway } from './ingress-gateway';
import { ROUTING_KINDS } from './routing-table';

export interface GatewayOptions {
  store: LabStore;
  host?: string;
  /** 8081 in the lab; 0 = any free port. */
  port?: number;
  /** Optional second listener serving only the metrics/window endpoints (like Istio's 15020/15090). */
  metricsPort?: number;
  /** Address of the pods (default 127.0.0.1). */
  upstreamHost?: string;
  /** Where the gateway reports what it does with the ingress gateway's Deployment (default: JSON lines on stdout/stderr). */
  log?: GatewayLog;
}

export interface Gateway {
  url: string;
  port: number;
  /** Where Prometheus scrapes: `<url>/stats/prometheus` (or the metrics port's, when one was asked for). */
  metricsUrl: string;
  /** `<url>/lab/v1/window` */
  windowUrl: string;
  /** The Prometheus text the gateway exports (as served at `metricsUrl`). */
  metricsText(): Promise<string>;
  stop(): Promise<void>;
}

export { METRICS_PATH, WINDOW_PATH };

const STOP_GRACE_MS = 5000;

/**
 * The lab's Istio ingress gateway (see gateway-server.ts for what it does). It runs on a worker thread of its own:
 * the main thread watches the routing objects in the store and forwards every change; the worker serves HTTP and keeps
 * the metrics. A `kill -9` of the lab takes the thread with it.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const host = opts.host ?? '127.0.0.1';
  // The Deployment istio-system/istio-ingressgateway: the buckets the proxy starts with, then its restarts (changes
  // come only from later store writes, so after the worker below exists).
  let send: (m: ToGateway) => void = () => undefined;
  const ingress = watchIngressGateway(opts.store, opts.log ?? defaultLog, (config) =>
    send({ type: 'proxy', config }),
  );
  const serverOpts: GatewayServerOptions = {
    host,
    port: opts.port ?? 8081,
    metricsPort: opts.metricsPort,
    upstreamHost: opts.upstreamHost ?? '127.0.0.1',
    proxy: ingress.initial,
  };
  const worker = new Worker(workerBoot(), { eval: true, workerData: serverOpts });
  send = (m) => worker.postMessage(m);
  const unwatch = [
    ...ROUTING_KINDS.map((kind) =>
      opts.store.watch(resource(kind), {}, (ev) =>
        send({ type: 'change', change: { kind, type: ev.type, object: ev.object } }),
      ),
    ),
    () => ingress.stop(),
  ];
  const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      gone = true;
      for (const p of pending.values()) p.reject(new Error('gateway stopped'));
      pending.clear();
      resolve();
    }),
  );
  let nextId = 0;

  const ready = await new Promise<Extract<FromGateway, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (m: FromGateway) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'failed') reject(new Error(`gateway: ${m.message}`));
      else if (m.type === 'metrics') {
        pending.get(m.id)?.resolve(m.text);
        pending.delete(m.id);
      }
    });
    worker.once('error', reject);
    void exited.then(() => reject(new Error('gateway: its thread exited before it was ready')));
  }).catch(async (err: Error) => {
    for (const u of unwatch) u();
    await worker.terminate();
    throw err;
  });
  worker.on('error', (err) => console.error(`lab gateway: ${err.stack ?? err.message}`));

  const url = `http://${host}:${ready.port}`;
  return {
    url,
    port: ready.port,
    metricsUrl:
      ready.metricsPort === undefined
        ? `${url}${METRICS_PATH}`
        : `http://${host}:${ready.metricsPort}${METRICS_PATH}`,
    windowUrl: `${url}${WINDOW_PATH}`,
    metricsText: () =>
      new Promise<string>((resolve, reject) => {
        if (gone) return reject(new Error('gateway stopped'));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        send({ type: 'metrics', id });
      }),
    async stop() {
      for (const u of unwatch) u();
      send({ type: 'stop' }); // the thread closes its servers, then ends
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

const defaultLog: GatewayLog = (level, msg) =>
  (level === 'info' ? console.log : console.error)(
    JSON.stringify({ time: new Date().toISOString(), component: 'gateway', level, msg }),
  );

/**
 * The worker's bootstrap: the gateway module next to this one. Run from TypeScript sources (the lab runs under tsx, tests
 * under vitest), the worker registers tsx itself, as a worker thread does not inherit the parent's module loaders.
 */
function workerBoot(): string {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `gateway-worker${ext}`);
  const register =
    ext === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();` : '';
  return `${register}require(${JSON.stringify(entry)});`;
}
