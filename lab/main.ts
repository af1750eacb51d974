/**
 * The lab: an embedded one-machine cluster. Kubernetes API (https), the Argo Rollouts controller, pods as local
 * processes, the Istio-like gateway, and Prometheus when installed. Started by `./run.sh lab` / `./run.sh local`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { lockDownTree, privateDir } from '../support/files/private-files';
import { loadValidators, startApiServer, validateObject } from './api';
import { labConfig } from './config';
import { startController } from './controller';
import { seedIngressGateway, startGateway } from './gateway';
import { startLabPrometheus } from './metrics';
import { ensurePki, writeKubeconfig } from './pki';
import { LabStore } from './store/lab-store';
import { startWorkloads } from './workloads';

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), component: 'lab', msg, ...extra }));

async function main(): Promise<void> {
  const cfg = labConfig();
  // The state folder holds the Secrets (lab.db), the CA key and the admin token: the owner's alone. Every file is
  // created 0600 explicitly; the umask also covers what Prometheus and the pods write, and what older versions left
  // open is fixed here.
  process.umask(0o077);
  privateDir(cfg.LAB_DIR);
  // Only a lab's own folder (it holds lab.db) is walked: a LAB_DIR pointed at a shared folder is not rewritten.
  const fixed = existsSync(path.join(cfg.LAB_DIR, 'lab.db')) ? lockDownTree(cfg.LAB_DIR) : [];
  if (fixed.length)
    log('made the state folder private (0700 folders, 0600 files)', {
      dir: cfg.LAB_DIR,
      fixed: fixed.length,
      examples: fixed.slice(0, 5),
    });
  await loadValidators();
  const store = new LabStore({ file: path.join(cfg.LAB_DIR, 'lab.db'), validate: validateObject });
  const pki = await ensurePki(cfg.LAB_DIR);

  // What `istioctl install` leaves on a real cluster: istio-system and the ingress gateway's Deployment, whose pod
  // annotation sidecar.istio.io/statsHistogramBuckets adds a 300 ms bucket (the SLO threshold) to Envoy's defaults.
  const seeded = seedIngressGateway(store);
  if (seeded.length) log('seeded the ingress gateway', { created: seeded });
  const gateway = await startGateway({
    store,
    host: cfg.LAB_HOST,
    port: cfg.LAB_GATEWAY_PORT,
    log: (level, msg) => log(msg, { component: 'gateway', level }),
  });
  const prometheus =
    cfg.LAB_PROMETHEUS === 'off'
      ? null
      : await startLabPrometheus({
          store,
          dir: cfg.LAB_DIR,
          host: cfg.LAB_HOST,
          port: cfg.LAB_PROMETHEUS_PORT,
          gatewayMetricsUrl: gateway.metricsUrl,
          scrapeIntervalSeconds: cfg.LAB_SCRAPE_INTERVAL_SECONDS,
        });
  const info = () => ({
    kind: 'lab',
    metrics: prometheus ? 'prometheus' : 'window',
    prometheusUrl: prometheus?.url ?? null,
    gatewayUrl: gateway.url,
    windowUrl: gateway.windowUrl,
  });

  const api = await startApiServer({
    store,
    host: cfg.LAB_HOST,
    port: cfg.LAB_API_PORT,
    token: pki.token,
    tlsKey: pki.keyPem,
    tlsCert: pki.certPem,
    logDir: path.join(cfg.LAB_DIR, 'logs'),
    labInfo: info,
    chaos: cfg.LAB_CHAOS === '1' ? { gatewayCrash: () => gateway.crash() } : undefined,
  });
  if (cfg.LAB_CHAOS === '1') log('chaos hooks on (LAB_CHAOS=1): POST /lab/v1/chaos/gateway-crash');
  const kubeconfig = await writeKubeconfig(cfg.LAB_DIR, {
    server: api.url,
    caPem: pki.caPem,
    token: pki.token,
  });

  const workloads = startWorkloads({
    store,
    dir: cfg.LAB_DIR,
    webappEntry: cfg.LAB_WEBAPP_ENTRY,
    loadgenEntry: cfg.LAB_LOADGEN_ENTRY,
    host: cfg.LAB_HOST,
  });
  const controller = startController({
    store,
    prometheusAddress: prometheus?.url,
    log: (msg) => log(msg, { component: 'controller' }),
  });

  log('ready', { api: api.url, kubeconfig, ...info() });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    await controller.stop();
    await workloads.stop();
    await Promise.allSettled([api.close(), gateway.stop(), prometheus?.stop()]);
    store.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`lab: ${(err as Error).message}`);
  process.exit(1);
});
