/**
 * The fleet's Kubernetes API for `bench:judge-load`: the lab's API server (lab/api, its store, PKI and
 * kubeconfig) WITHOUT the lab's controller, workloads or gateway, so the Rollouts, ReplicaSets and AnalysisRuns the
 * bench writes (as Argo would) stay exactly as written. Counts the reads it serves per resource (GET and LIST), so the
 * bench can tell how many Kubernetes reads one judge call costs.
 *
 *   LAB_DIR=<temp dir> node --import tsx bench/judge-load/kube-api.ts
 * prints one line `{"ready":true,"api":...,"kubeconfig":...,"statsUrl":...}` and serves until SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ensurePki,
  LabStore,
  loadValidators,
  startApiServer,
  validateObject,
  writeKubeconfig,
} from '@control-center/lab/testing';

async function main(): Promise<void> {
  const dir = process.env.LAB_DIR;
  if (!dir) throw new Error('set LAB_DIR to a temporary folder');
  await loadValidators();
  const store = new LabStore({ file: path.join(dir, 'lab.db'), validate: validateObject });

  const reads = new Map<string, number>();
  let readMs = 0;
  const count = (key: string, t0: number) => {
    reads.set(key, (reads.get(key) ?? 0) + 1);
    readMs += performance.now() - t0;
  };
  const get = store.get.bind(store);
  const list = store.list.bind(store);
  store.get = ((rt, ns, name) => {
    const t0 = performance.now();
    const r = get(rt, ns, name);
    count(`get ${rt.plural}`, t0);
    return r;
  }) as typeof store.get;
  store.list = ((rt, opts) => {
    const t0 = performance.now();
    const r = list(rt, opts);
    count(`list ${rt.plural}`, t0);
    return r;
  }) as typeof store.list;

  const pki = await ensurePki(dir);
  const api = await startApiServer({
    store,
    host: '127.0.0.1',
    port: 0,
    token: pki.token,
    tlsKey: pki.keyPem,
    tlsCert: pki.certPem,
    logDir: path.join(dir, 'logs'),
  });
  const kubeconfig = await writeKubeconfig(dir, { server: api.url, caPem: pki.caPem, token: pki.token });

  const stats = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ reads: Object.fromEntries(reads), storeMs: readMs }));
  });
  await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
  const statsUrl = `http://127.0.0.1:${(stats.address() as AddressInfo).port}/`;

  const stop = async () => {
    stats.close();
    await api.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  console.log(
    JSON.stringify({ ready: true, api: api.url, kubeconfig, token: pki.token, caPem: pki.caPem, statsUrl }),
  );
}

main().catch((err: unknown) => {
  console.error(`kube api: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
