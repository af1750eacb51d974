import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../loadgen/src/index';
import type { LabStore } from '../store/lab-store';
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
import { ENVOY_DEFAULT_BUCKETS, type Gateway, startGateway } from './index';

const HOST = { host: 'webapp.local' };

describe('lab gateway (real pods, real HTTP)', () => {
  let store: LabStore;
  let dir = '';
  let workloads: Workloads;
  let gw: Gateway;
  const setWeights = (stable: number, canary: number, extra: Record<string, unknown> = {}) =>
    store.mutate(R.vs, 'demo', 'webapp', (vs) => ({
      ...vs,
      spec: virtualService(stable, canary, extra).spec,
    }));
  const scale = (name: string, replicas: number) =>
    store.mutate(R.rs, 'demo', name, (rs) => ({ ...rs, spec: { ...(rs.spec as object), replicas } }));
  const setFaults = (faults: object) =>
    store.mutate(R.cm, 'demo', 'webapp-faults', (cm) => ({
      ...cm,
      data: { 'faults.json': JSON.stringify(faults) },
    }));

  beforeAll(async () => {
    ensureBuilt();
    dir = tempDir('lab-gateway');
    store = demoStore(dir);
    workloads = startWorkloads({
      store,
      dir,
      webappEntry: WEBAPP_ENTRY,
      loadgenEntry: LOADGEN_ENTRY,
      host: '127.0.0.1',
    });
    store.create(R.rs, replicaSet('webapp-stable-rs', 'v1.0', HASH_STABLE, 2));
    store.create(R.rs, replicaSet('webapp-canary-rs', 'v1.1', HASH_CANARY, 2));
    gw = await startGateway({ store, host: '127.0.0.1', port: 0 });
    await waitFor(
      'pods ready',
      () => readyPods(store, HASH_STABLE).length === 2 && readyPods(store, HASH_CANARY).length === 2,
    );
  });
  afterAll(async () => {
    await gw?.stop();
    await workloads?.stop();
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('splits 90/10 by weight and its istio_requests_total agree exactly with the client', async () => {
    const before = await gw.metricsText();
    const s = await runLoad({
      url: `${gw.url}/api/work`,
      headers: HOST,
      concurrency: 16,
      requests: 2000,
      durationMs: 30_000,
    });
    expect(s.total).toBe(2000);
    expect(s.failed).toBe(0);
    const canary = s.versions['v1.1'] ?? 0;
    // Binomial(2000, 0.1): σ = 0.67 %; 5σ.
    expect(Math.abs(canary / 2000 - 0.1)).toBeLessThanOrEqual(0.034);
    const after = await gw.metricsText();
    const delta = (f: Record<string, string>) => sumRequests(after, f) - sumRequests(before, f);
    expect(delta({ reporter: 'source' })).toBe(2000);
    expect(delta({ destination_service_name: 'webapp-canary', response_code: '200' })).toBe(canary);
    expect(delta({ destination_service_name: 'webapp-stable', destination_version: 'v1.0' })).toBe(
      s.versions['v1.0'],
    );
    expect(delta({ destination_workload: 'webapp-canary-rs', destination_canonical_service: 'webapp' })).toBe(
      canary,
    );
    // no Deployment istio-system/istio-ingressgateway in this store: exactly Envoy's default buckets (no 300)
    const series = /^istio_request_duration_milliseconds_bucket\{(.*),le="[^"]+"\} \d+$/m.exec(after)?.[1];
    const printed = [
      ...after.matchAll(/^istio_request_duration_milliseconds_bucket\{(.*),le="([^"]+)"\} \d+$/gm),
    ]
      .filter((m) => m[1] === series)
      .map((m) => m[2]);
    expect(printed).toEqual([...ENVOY_DEFAULT_BUCKETS.map(String), '+Inf']);
    expect(after).not.toContain('le="300"');
  });

  it('injects an Istio abort fault at 50 % and counts it with response_flags FI', async () => {
    setWeights(90, 10, { fault: { abort: { percentage: { value: 50 }, httpStatus: 503 } } });
    const before = await gw.metricsText();
    const s = await runLoad({
      url: `${gw.url}/api/work`,
      headers: HOST,
      concurrency: 16,
      requests: 1000,
      durationMs: 30_000,
    });
    const errors = s.statusCodes['503'] ?? 0;
    expect(s.total).toBe(1000);
    // Binomial(1000, 0.5): σ = 1.6 %; 5σ keeps a correct gateway from failing (p < 1e-6) and still catches 0 %, 100 % or a
    // percentage read as a fraction.
    expect(Math.abs(errors / 1000 - 0.5)).toBeLessThanOrEqual(0.08);
    const after = await gw.metricsText();
    expect(sumRequests(after, { response_flags: 'FI' }) - sumRequests(before, { response_flags: 'FI' })).toBe(
      errors,
    );
    const win = (await (
      await fetch(
        `${gw.windowUrl}?namespace=demo&service=webapp-stable&since=${Math.floor(Date.now() / 1000) - 60}`,
      )
    ).json()) as { requests: number; errors: number; buckets: Array<{ le: number | string; count: number }> };
    expect(win.requests).toBeGreaterThan(0);
    expect(win.buckets.at(-1)).toEqual({ le: '+Inf', count: win.requests });
    setWeights(90, 10);
  });

  it('applies a weight change to the very next requests', async () => {
    setWeights(0, 100);
    const s = await runLoad({
      url: `${gw.url}/api/work`,
      headers: HOST,
      concurrency: 4,
      requests: 100,
      durationMs: 5000,
    });
    // Every request sent after the change went to the canary: none was routed by the old weights.
    expect(s.versions).toEqual({ 'v1.1': 100 });
  });

  it('a webapp-faults ConfigMap change reaches the v1.1 process', async () => {
    setWeights(0, 100);
    const t0 = Date.now();
    setFaults({ 'v1.1': { errorRate: 1 } });
    let seen = false;
    // How fast is a bench figure, not a test's: the bound only keeps a broken reload from hanging the run.
    while (!seen && Date.now() - t0 < 20_000) {
      const r = await httpGet(`${gw.url}/api/work`, HOST);
      seen = r.status === 500 && (JSON.parse(r.body) as { version?: string }).version === 'v1.1';
      if (!seen) await new Promise((res) => setTimeout(res, 100));
    }
    expect(seen).toBe(true);
    setFaults({});
    // every v1.1 pod has reloaded: 10 answers in a row are 200 (still 100 % canary)
    let okInARow = 0;
    const deadline = Date.now() + 5000;
    while (okInARow < 10 && Date.now() < deadline) {
      okInARow = (await httpGet(`${gw.url}/api/work`, HOST)).status === 200 ? okInARow + 1 : 0;
      if (okInARow === 0) await new Promise((res) => setTimeout(res, 100));
    }
    expect(okInARow).toBe(10);
    setWeights(90, 10);
  });

  it('has zero failed requests at 50 rps while the canary scales and weights move', async () => {
    const load = runLoad({ url: `${gw.url}/api/work`, headers: HOST, rps: 50, durationMs: 10_000 });
    const at = (ms: number, fn: () => void) =>
      new Promise<void>((r) =>
        setTimeout(() => {
          fn();
          r();
        }, ms),
      );
    await Promise.all([
      at(1000, () => scale('webapp-canary-rs', 3)),
      at(2500, () => setWeights(50, 50)),
      at(4000, () => scale('webapp-canary-rs', 1)),
      at(5500, () => {
        const victim = readyPods(store, HASH_STABLE)[0];
        scale('webapp-stable-rs', 3);
        if (victim) store.delete(R.pods, 'demo', victim.metadata.name ?? '');
      }),
      at(7000, () => setWeights(80, 20)),
      at(8000, () => scale('webapp-canary-rs', 2)),
    ]);
    const s = await load;
    expect(s.total).toBeGreaterThanOrEqual(450);
    expect(s.errors).toEqual({});
    expect(s.statusCodes).toEqual({ '200': s.total });
    expect(s.failed).toBe(0);
    expect(Object.keys(s.versions).sort()).toEqual(['v1.0', 'v1.1']);
  });

  it('answers 503 no healthy upstream (UH) when a destination has no ready pod, 404 for unknown hosts', async () => {
    scale('webapp-canary-rs', 0);
    setWeights(0, 100);
    await waitFor('canary gone', () => readyPods(store, HASH_CANARY).length === 0);
    const r = await httpGet(`${gw.url}/api/work`, HOST);
    expect(r.status).toBe(503);
    expect(r.body).toBe('no healthy upstream');
    expect(
      sumRequests(await gw.metricsText(), {
        response_flags: 'UH',
        destination_service_name: 'webapp-canary',
      }),
    ).toBe(1);
    expect((await httpGet(`${gw.url}/api/work`, { host: 'other.local' })).status).toBe(404);
    expect((await httpGet(`${gw.url}/stats/prometheus`, { host: 'other.local' })).status).toBe(200);
  });
});
