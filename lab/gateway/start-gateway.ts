import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { FromGateway, ToGateway } from './gateway-messages';
import { type GatewayServerOptions, METRICS_PATH, WINDOW_PATH } from './gateway-server';
import { type GatewayLog, type ProxyConfig, watchIngressGateway } from './ingress-gateway';
import { nextRestartDelay } from './restart-backoff';
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
  /**
   * Chaos testing: the gateway's thread dies (it is started again). Resolves once the thread has ended (nothing listens
   * on the port until the restart); false when no thread runs (restarting, stopped).
   */
  crash(): Promise<boolean>;
  stop(): Promise<void>;
}

export { METRICS_PATH, WINDOW_PATH };

const STOP_GRACE_MS = 5000;

type Ready = Extract<FromGateway, { type: 'ready' }>;

/**
 * The lab's Istio ingress gateway (see gateway-server.ts for what it does). It runs on a worker thread of its own:
 * the main thread watches the routing objects in the store and forwards every change; the worker serves HTTP and keeps
 * the metrics. A `kill -9` of the lab takes the thread with it.
 *
 * The thread is supervised as the kubelet supervises the istio-proxy container: when it dies it is started again after
 * a back-off (restart-backoff.ts), on the same port(s) (retrying while the old socket is not free yet), with the latest
 * proxy configuration and the current routing objects (each watch replays them). Like a restarted Envoy its istio_*
 * counters start again from 0 (Prometheus sees a counter reset). Each restart is logged, and the ingress gateway's
 * Deployment reads READY 0/1 while the gateway is down, 1/1 once it serves again.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? defaultLog;
  let worker: Worker | undefined;
  // The Deployment istio-system/istio-ingressgateway: the buckets the proxy starts with, then its restarts (changes
  // come only from later store writes, so after the first worker exists).
  const ingress = watchIngressGateway(opts.store, log, (config) => {
    proxy = config;
    worker?.postMessage({ type: 'proxy', config } satisfies ToGateway);
  });
  let proxy: ProxyConfig = ingress.initial;
  let ports = { port: opts.port ?? 8081, metricsPort: opts.metricsPort };
  const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();

  /** One gateway thread: resolves when it listens; `onDeath` runs when a thread that was ready ends. */
  const launch = (onDeath: (code: number) => void): Promise<Ready> => {
    const serverOpts: GatewayServerOptions = {
      host,
      ...ports,
      upstreamHost: opts.upstreamHost ?? '127.0.0.1',
      proxy,
    };
    const w = new Worker(workerBoot(), { eval: true, workerData: serverOpts });
    worker = w;
    const send = (m: ToGateway) => w.postMessage(m);
    // each watch starts with the current objects (ADDED): the new thread's routing table is the latest
    const unwatch = ROUTING_KINDS.map((kind) =>
      opts.store.watch(resource(kind), {}, (ev) =>
        send({ type: 'change', change: { kind, type: ev.type, object: ev.object } }),
      ),
    );
    let ready = false;
    return new Promise<Ready>((resolve, reject) => {
      exited = new Promise<void>((done) =>
        w.once('exit', (code) => {
          for (const u of unwatch) u();
          if (worker === w) worker = undefined;
          for (const p of pending.values()) p.reject(new Error('gateway stopped'));
          pending.clear();
          done();
          if (!ready) reject(new Error('gateway: its thread exited before it was ready'));
          else if (!stopping) onDeath(code);
        }),
      );
      w.on('message', (m: FromGateway) => {
        if (m.type === 'ready') {
          ready = true;
          resolve(m);
        } else if (m.type === 'failed')
          reject(Object.assign(new Error(`gateway: ${m.message}`), { code: m.code }));
        else if (m.type === 'metrics') {
          pending.get(m.id)?.resolve(m.text);
          pending.delete(m.id);
        }
      });
      w.on('error', (err) => {
        if (ready) log('error', `the gateway's thread failed: ${err.stack ?? err.message}`);
        else reject(err);
      });
    });
  };

  let delay: number | undefined;
  let upSince = 0;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  const crashed = (code: number) => {
    delay = nextRestartDelay(delay, Date.now() - upSince);
    restarts++;
    ingress.podReady(false);
    log(
      'error',
      `the gateway's proxy died (exit code ${code}); restart ${restarts} in ${delay} ms on port ${ports.port}`,
    );
    timer = setTimeout(restart, delay);
  };
  const restart = () => {
    timer = undefined;
    if (stopping) return;
    launch(crashed).then(
      () => {
        upSince = Date.now();
        ingress.podReady(true);
        log(
          'info',
          `the gateway's proxy is up again on port ${ports.port} (restart ${restarts}): latest routing and proxy configuration, istio_* counters start again from 0`,
        );
        if (stopping) worker?.postMessage({ type: 'stop' } satisfies ToGateway);
      },
      (err: Error & { code?: string }) => {
        if (stopping) return;
        delay = nextRestartDelay(delay, 0);
        log(
          'warn',
          `the gateway could not start again (${err.code === 'EADDRINUSE' ? `port ${ports.port} not free yet` : err.message}); next try in ${delay} ms`,
        );
        timer = setTimeout(restart, delay);
      },
    );
  };

  const ready = await launch(crashed).catch(async (err: Error) => {
    ingress.stop();
    await worker?.terminate();
    throw err;
  });
  upSince = Date.now();
  ports = { port: ready.port, metricsPort: ready.metricsPort };

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
        if (!worker) return reject(new Error(stopping ? 'gateway stopped' : 'gateway restarting'));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'metrics', id } satisfies ToGateway);
      }),
    async crash() {
      if (!worker) return false;
      const gone = exited; // the current thread's end
      worker.postMessage({ type: 'crash' } satisfies ToGateway);
      await gone;
      return true;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      ingress.stop();
      const w = worker;
      if (!w) return;
      w.postMessage({ type: 'stop' } satisfies ToGateway); // the thread closes its servers, then ends
      const kill = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
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
