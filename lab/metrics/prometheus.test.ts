import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../loadgen/src/index';
import { waitForScrapes } from '../../support/testing/prometheus';
import { requireTool } from '../../support/testing/tools';
import { ENVOY_DEFAULT_BUCKETS, type Gateway, startGateway } from '../gateway/index';
import type { LabStore } from '../store/lab-store';
import { startWorkloads, type Workloads } from '../workloads/index';
import {
  demoStore,
  ensureBuilt,
  HASH_CANARY,
  httpGet,
  LOADGEN_ENTRY,
  R,
  readyPods,
  replicaSet,
  tempDir,
  WEBAPP_ENTRY,
  waitFor,
} from '../workloads/testing/lab-fixtures';
import { labInfo } from './lab-info';
import { type Prometheus, prometheusConfig, startPrometheus } from './prometheus';

const HOST = { host: 'webapp.local' };
/** No ingress gateway Deployment in this store: the gateway emits Envoy's default buckets. */
const BUCKETS = ENVOY_DEFAULT_BUCKETS;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('lab metrics with a real Prometheus', () => {
  let store: LabStore;
  let dir = '';
  let workloads: Workloads;
  let gw: Gateway;
  let prom: Prometheus | null = null;
  const query = async (q: string): Promise<number | undefined> => {
    const r = await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
    const v = body.data.result[0]?.value[1];
    return v === undefined ? undefined : Number(v);
  };

  beforeAll(async () => {
    ensureBuilt();
    dir = tempDir('lab-metrics');
    store = demoStore(dir, { stable: 0, canary: 100 });
    store.mutate(R.cm, 'demo', 'webapp-faults', (cm) => ({
      ...cm,
      data: { 'faults.json': JSON.stringify({ 'v1.1': { errorRate: 0.2, latencyMs: 120 } }) },
    }));
    workloads = startWorkloads({ store, dir, webappEntry: WEBAPP_ENTRY, loadgenEntry: LOADGEN_ENTRY });
    store.create(R.rs, replicaSet('webapp-canary-rs', 'v1.1', HASH_CANARY, 1));
    gw = await startGateway({ store, port: 0 });
    await waitFor('canary ready', () => readyPods(store, HASH_CANARY).length === 1);
    // warm-up: both series (200 and 500) exist before Prometheus first scrapes, so rate() sees only the test load
    const codes = new Set<number>();
    for (let i = 0; i < 20 && codes.size < 2; i++)
      for (const r of await Promise.all(
        Array.from({ length: 10 }, () => httpGet(`${gw.url}/api/work`, HOST)),
      ))
        codes.add(r.status);
    expect([...codes].sort()).toEqual([200, 500]);
    prom = await startPrometheus({
      dir,
      port: await freePort(),
      targets: [{ job: 'istio-ingressgateway', url: gw.metricsUrl }],
      scrapeIntervalSeconds: 1,
      store,
    });
  });
  afterAll(async () => {
    await prom?.stop();
    await gw?.stop();
    await workloads?.stop();
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the prometheus binary (the lab machine has one)', () => {
    requireTool('prometheus'); // throws naming prometheus and its Debian package when it is missing
    expect(prom).not.toBeNull();
  });

  it('Istio PromQL over the gateway metrics returns what the client saw', async () => {
    await waitFor(
      'first scrape',
      async () => (await query('sum(istio_requests_total{reporter="source"})')) !== undefined,
    );
    await waitForScrapes(prom?.url ?? '', 1); // one more scrape before the load: rate() has a baseline
    const since = Math.ceil(Date.now() / 1000);
    await new Promise((r) => setTimeout(r, since * 1000 - Date.now() + 10));
    const s = await runLoad({ url: `${gw.url}/api/work`, headers: HOST, rps: 100, durationMs: 4000 });
    expect(s.errors).toEqual({});
    const clientSuccess = (s.statusCodes['200'] ?? 0) / s.total;
    await waitForScrapes(prom?.url ?? '', 2); // two more scrapes: Prometheus has the last requests
    const svc = 'reporter="source",destination_service_name="webapp-canary"';
    const success = await query(
      `sum(rate(istio_requests_total{${svc},response_code!~"5.*"}[1m])) / sum(rate(istio_requests_total{${svc}}[1m]))`,
    );
    const p95 = await query(
      `histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{${svc}}[1m])) by (le))`,
    );
    expect(success).toBeDefined();
    expect(Math.abs((success ?? 0) - clientSuccess)).toBeLessThanOrEqual(0.02);
    const clientP95 = s.latencyMs?.p95 ?? 0;
    const hi = BUCKETS.find((b) => clientP95 <= b) ?? Number.POSITIVE_INFINITY;
    // The gateway times less than the client does (no client-side queueing), so its P95 may sit one bucket lower.
    const lo = [0, 0, ...BUCKETS][BUCKETS.indexOf(hi)] ?? 0;
    expect(p95).toBeGreaterThanOrEqual(lo);
    expect(p95).toBeLessThanOrEqual(hi);

    // the JSON window agrees exactly with the client
    const win = JSON.parse(
      (await httpGet(`${gw.windowUrl}?namespace=demo&service=webapp-canary&since=${since}`)).body,
    ) as {
      requests: number;
      errors: number;
      unit: string;
      buckets: Array<{ le: number | string; count: number }>;
    };
    expect(win.requests).toBe(s.total);
    expect(win.errors).toBe(s.statusCodes['500'] ?? 0);
    expect(win.unit).toBe('ms');
    expect(win.buckets.find((b) => b.le === 100)?.count).toBe(0);
  });

  it("scrapes each pod's /metrics through file_sd", async () => {
    const up = await waitFor('pod target', () =>
      query('sum(up{job="lab-pods",namespace="demo",pod_version="v1.1"})'),
    );
    expect(up).toBe(1);
    expect(
      await query('sum(http_requests_total{job="lab-pods",version="v1.1",route="/api/work"})'),
    ).toBeGreaterThan(0);
  });

  it('refuses the lifecycle and admin APIs to any local process, and reloads its targets by SIGHUP', async () => {
    const url = prom?.url ?? '';
    const quit = await fetch(`${url}/-/quit`, { method: 'POST' });
    expect(quit.status).toBe(403);
    expect(await quit.text()).toContain('Lifecycle API is not enabled');
    expect((await fetch(`${url}/-/reload`, { method: 'POST' })).status).toBe(403);
    const admin = await fetch(`${url}/api/v1/admin/tsdb/delete_series?match[]=up`, { method: 'POST' });
    expect(admin.ok).toBe(false);
    expect(await admin.text()).toContain('admin APIs disabled');
    expect((await fetch(`${url}/-/ready`)).status).toBe(200);
    await prom?.setTargets([
      { job: 'istio-ingressgateway', url: gw.metricsUrl },
      { job: 'gateway-again', url: gw.metricsUrl },
    ]);
    const config = (await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } };
    expect(config.data.yaml).toContain('job_name: gateway-again');
  });

  it('generates a config and lab info', () => {
    const cfg = prometheusConfig({
      targets: [{ job: 'gw', url: 'http://127.0.0.1:8081/stats/prometheus' }],
      scrapeIntervalSeconds: 5,
    });
    expect(cfg).toContain('metrics_path: /stats/prometheus');
    expect(cfg).toContain('127.0.0.1:8081');
    expect(labInfo({ gatewayUrl: 'http://127.0.0.1:8081', prometheusUrl: 'http://127.0.0.1:9090' })).toEqual({
      metrics: 'prometheus',
      prometheusUrl: 'http://127.0.0.1:9090',
      gatewayUrl: 'http://127.0.0.1:8081',
      gatewayMetricsUrl: 'http://127.0.0.1:8081/stats/prometheus',
      windowUrl: 'http://127.0.0.1:8081/lab/v1/window',
    });
    expect(labInfo({ gatewayUrl: 'http://127.0.0.1:8081' }).metrics).toBe('window');
  });
});

describe('Prometheus start-up after a crash', () => {
  const dir = tempDir('lab-prom-restart');
  const started: Prometheus[] = [];
  afterAll(async () => {
    for (const p of started) await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const pidOf = () => Number(fs.readFileSync(`${dir}/prometheus/prometheus.pid`, 'utf8'));
  const start = async (port: number) => {
    const p = await startPrometheus({ dir, port, targets: [], scrapeIntervalSeconds: 1 });
    if (!p) throw new Error('no prometheus binary');
    started.push(p);
    return p;
  };

  it('the Prometheus a killed lab left running is replaced on the same port and data', async () => {
    requireTool('prometheus');
    const port = await freePort();
    await start(port);
    const first = pidOf();
    // The lab that started it is gone without stopping it: the next start finds it by its pid file.
    const second = await start(port);
    expect(pidOf()).not.toBe(first);
    expect(
      fs.existsSync(`/proc/${first}/cmdline`) && fs.readFileSync(`/proc/${first}/cmdline`, 'utf8'),
    ).not.toContain('prometheus');
    expect((await fetch(`${second.url}/-/ready`)).status).toBe(200);
  });

  it('a port another program holds: the start fails after its tries, quoting why from prometheus.log', async () => {
    requireTool('prometheus');
    const taken = net.createServer();
    const port = await new Promise<number>((r) =>
      taken.listen(0, '127.0.0.1', () => r((taken.address() as net.AddressInfo).port)),
    );
    try {
      await expect(start(port)).rejects.toThrow(
        /exited during start-up \(3 tries\)[\s\S]*address already in use/,
      );
    } finally {
      taken.close();
    }
  });
});
