import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPrometheus, type TestPrometheus, waitForScrapes } from '../../support/testing/prometheus';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import { labRequest } from '../testing/lab-client';
import { startTestLab, type TestLab } from '../testing/test-lab';
import { startWorkloads, type Workloads } from '../workloads/index';
import { sumRequests } from '../workloads/testing/gateway-metrics';
import {
  demoStore,
  ensureBuilt,
  HASH_CANARY,
  HASH_STABLE,
  httpGet,
  LOADGEN_ENTRY,
  R,
  readyPods,
  replicaSet,
  tempDir,
  virtualService,
  WEBAPP_ENTRY,
  waitFor,
} from '../workloads/testing/lab-fixtures';
import { type Gateway, INGRESS_GATEWAY, seedIngressGateway, startGateway } from './index';
import type { Level } from './ingress-gateway';
import { RESTART_BACKOFF } from './restart-backoff';

const HOST = { host: 'webapp.local' };
const DEPLOYMENTS = resource('deployments');

describe("the lab gateway's thread is restarted when it dies", () => {
  let store: LabStore;
  let dir = '';
  let workloads: Workloads;
  let gw: Gateway;
  let prom: TestPrometheus;
  const logs: Array<[Level, string]> = [];
  /** readyReplicas of the ingress gateway's Deployment, in the order the store saw them (0 = absent). */
  const readySeen: number[] = [];
  const upAgain = (n: number) =>
    waitFor(`restart ${n} up`, () => logs.some(([, m]) => m.includes(`(restart ${n})`)));
  const delays = () =>
    logs.flatMap(([, m]) => {
      const d = /died \(exit code \d+\); restart \d+ in (\d+) ms/.exec(m)?.[1];
      return d ? [Number(d)] : [];
    });

  beforeAll(async () => {
    ensureBuilt();
    dir = tempDir('lab-gateway-restart');
    store = demoStore(dir, { stable: 100, canary: 0 });
    seedIngressGateway(store);
    store.watch(
      DEPLOYMENTS,
      { namespace: INGRESS_GATEWAY.namespace, fieldSelector: `metadata.name=${INGRESS_GATEWAY.name}` },
      (ev) =>
        readySeen.push((ev.object.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0),
    );
    workloads = startWorkloads({
      store,
      dir,
      webappEntry: WEBAPP_ENTRY,
      loadgenEntry: LOADGEN_ENTRY,
      host: '127.0.0.1',
    });
    store.create(R.rs, replicaSet('webapp-stable-rs', 'v1.0', HASH_STABLE, 1));
    store.create(R.rs, replicaSet('webapp-canary-rs', 'v1.1', HASH_CANARY, 1));
    gw = await startGateway({ store, port: 0, log: (level, msg) => logs.push([level, msg]) });
    await waitFor(
      'pods ready',
      () => readyPods(store, HASH_STABLE).length === 1 && readyPods(store, HASH_CANARY).length === 1,
    );
    prom = await startTestPrometheus([{ job: 'gateway', hostPort: `127.0.0.1:${gw.port}` }]);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    await gw?.stop();
    await workloads?.stop();
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers again on the same port with the weights set while it was down; READY 0/1 then 1/1', async () => {
    for (let i = 0; i < 5; i++) expect((await httpGet(`${gw.url}/api/work`, HOST)).body).toContain('v1.0');
    await waitFor('status 1/1', () => readySeen.at(-1) === 1);
    expect(await gw.crash()).toBe(true);
    // crash() resolves once the thread has ended: nothing listens until the restart (250 ms later)
    await expect(httpGet(`${gw.url}/api/work`, HOST)).rejects.toThrow(/ECONNREFUSED/);
    // while it is down (or already up again: both must end with the new weights)
    store.mutate(R.vs, 'demo', 'webapp', (vs) => ({ ...vs, spec: virtualService(0, 100).spec }));
    await upAgain(1);
    for (let i = 0; i < 5; i++) {
      const res = await httpGet(`${gw.url}/api/work`, HOST);
      expect(res.status).toBe(200);
      expect(res.body).toContain('v1.1');
    }
    await waitFor('status 1/1 again', () => readySeen.at(-1) === 1);
    const from = readySeen.lastIndexOf(0);
    expect(from).toBeGreaterThan(0); // a 0/1 was written after the first 1/1 …
    expect(readySeen.slice(from)).toContain(1); // … and 1/1 after it
    expect(delays()[0]).toBe(RESTART_BACKOFF.initialMs);
    expect(logs.some(([l, m]) => l === 'info' && /up again on port \d+ \(restart 1\)/.test(m))).toBe(true);
  });

  it('a crash soon after a restart waits twice as long (back-off)', async () => {
    expect(await gw.crash()).toBe(true);
    await upAgain(2);
    expect(await gw.crash()).toBe(true);
    await upAgain(3);
    const [first, second, third] = delays();
    expect([first, second, third]).toEqual([
      RESTART_BACKOFF.initialMs,
      RESTART_BACKOFF.initialMs * 2,
      RESTART_BACKOFF.initialMs * 4,
    ]);
    expect((await httpGet(`${gw.url}/api/work`, HOST)).status).toBe(200);
  });

  it('a metrics read pending when the thread dies is rejected, not left hanging', async () => {
    const reads = Array.from({ length: 20 }, () =>
      gw.metricsText().then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    void gw.crash();
    const outcomes = await Promise.all(reads);
    expect(outcomes.every((o) => o === 'ok' || o === 'gateway stopped')).toBe(true);
    await expect(gw.metricsText()).rejects.toThrow(/gateway (restarting|stopped)/);
    await upAgain(4);
  });

  it('its counters start again from 0 and a real Prometheus sees the reset', async () => {
    const nr = { host: 'nothing.local' }; // no route: a 404 NR series that stays the same across the restart
    const query = async (q: string) => {
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
      return Number(body.data.result[0]?.value[1] ?? Number.NaN);
    };
    for (let i = 0; i < 6; i++) expect((await httpGet(`${gw.url}/x`, nr)).status).toBe(404);
    expect(sumRequests(await gw.metricsText(), { response_flags: 'NR' })).toBe(6);
    await waitForScrapes(prom.url, 2);
    expect(await query('sum(istio_requests_total{response_flags="NR"})')).toBe(6);
    await gw.crash();
    await upAgain(5);
    expect(sumRequests(await gw.metricsText())).toBe(0);
    for (let i = 0; i < 2; i++) expect((await httpGet(`${gw.url}/x`, nr)).status).toBe(404);
    await waitForScrapes(prom.url, 2);
    expect(await query('sum(istio_requests_total{response_flags="NR"})')).toBe(2);
    expect(await query('sum(resets(istio_requests_total{response_flags="NR"}[5m]))')).toBe(1);
  }, 60_000);
});

describe('the chaos hook of the lab API', () => {
  let lab: TestLab;
  let plain: TestLab;
  let gw: Gateway;
  const logs: string[] = [];
  beforeAll(async () => {
    lab = await startTestLab({ chaos: { gatewayCrash: () => gw.crash() } });
    plain = await startTestLab();
    gw = await startGateway({ store: lab.store, port: 0, log: (_l, m) => logs.push(m) });
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all([lab?.close(), plain?.close()]);
  });

  it('without LAB_CHAOS the path is a 404', async () => {
    expect((await plain.api('POST', '/lab/v1/chaos/gateway-crash')).status).toBe(404);
  });

  it('with it: 401 without a token, 403 for a ServiceAccount, 405 for GET, 202 for the admin (the gateway restarts)', async () => {
    const path = '/lab/v1/chaos/gateway-crash';
    expect((await lab.api('POST', path, { auth: false })).status).toBe(401);
    await lab.api('POST', '/api/v1/namespaces', { body: { metadata: { name: 'chaos' } } });
    await lab.api('POST', '/api/v1/namespaces/chaos/serviceaccounts', {
      body: { metadata: { name: 'bench' } },
    });
    const tr = await lab.api('POST', '/api/v1/namespaces/chaos/serviceaccounts/bench/token', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    const saToken = (tr.json as { status: { token: string } }).status.token;
    const asSa = await labRequest({
      url: `${lab.server.url}${path}`,
      method: 'POST',
      ca: lab.caPem,
      token: saToken,
    });
    expect(asSa.status).toBe(403);
    expect(logs.some((m) => m.includes('died'))).toBe(false);
    expect((await lab.api('GET', path)).status).toBe(405);
    const res = await lab.api('POST', path);
    expect(res.status).toBe(202);
    await waitFor('the restart', () => logs.some((m) => m.includes('(restart 1)')));
    expect(logs.some((m) => /died \(exit code 1\); restart 1 in 250 ms/.test(m))).toBe(true);
  });
});
