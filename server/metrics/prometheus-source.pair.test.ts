import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionTarget } from '@/lib/promql/version-queries';
import type { VersionSample } from '@/lib/slo';
import { freePort } from '../../support/testing/processes';
import { createMetrics, type Metrics } from '../../webapp/src/metrics';
import { PrometheusSource } from './prometheus-source';
import {
  type CountingProxy,
  clockPast,
  type GatewayReplica,
  ISTIO_BUCKETS_MS,
  type ScrapeTarget,
  type ScrapingPrometheus,
  startCountingProxy,
  startGatewayReplica,
  startRegistryTarget,
  startScrapingPrometheus,
  waitForScrapeAfter,
} from './testing/scrape-targets';
import type { PairSeriesResult } from './types';

const NS = 'demo';
const CANARY = 'webapp-canary';
const STABLE = 'webapp-stable';
const STEP = 2;
const GATEWAY = 'istio-gateway';
const PODS = 'lab-pods';
const istio = (service: string): VersionTarget => ({ metrics: 'istio', namespace: NS, service });
const ISTIO_PAIR = { canary: istio(CANARY), stable: istio(STABLE) };
const now = () => Date.now() / 1000;

/** What one version really served while the ledger was open: the exact counts the judge must get. */
class Ledger {
  open = false;
  private readonly counts = new Map<string, { requests: number; errors: number; slots: number[] }>();
  constructor(private readonly boundsSeconds: number[]) {}

  record(version: string, code: number, latencySeconds: number, n: number): void {
    if (!this.open) return;
    let c = this.counts.get(version);
    if (!c) {
      c = { requests: 0, errors: 0, slots: new Array(this.boundsSeconds.length + 1).fill(0) };
      this.counts.set(version, c);
    }
    c.requests += n;
    if (code >= 500) c.errors += n;
    const slot = this.boundsSeconds.findIndex((le) => latencySeconds <= le + 1e-12);
    const i = slot === -1 ? this.boundsSeconds.length : slot;
    c.slots[i] = (c.slots[i] ?? 0) + n;
  }

  /** The cumulative sample the source should end with (buckets in seconds, +Inf included). */
  expected(version: string): Omit<VersionSample, 'observedAt'> {
    const c = this.counts.get(version) ?? { requests: 0, errors: 0, slots: [] };
    let acc = 0;
    const buckets = this.boundsSeconds.map((le, i) => {
      acc += c.slots[i] ?? 0;
      return { le, count: acc };
    });
    return {
      requests: c.requests,
      errors: c.errors,
      latencyBuckets: [...buckets, { le: Number.POSITIVE_INFINITY, count: c.requests }],
    };
  }
}

/** Grid, sign and order guarantees the judge relies on, whatever the data. */
function expectWellFormed(res: PairSeriesResult, t0: number, tN: number): void {
  expect(res.ok).toBe(true);
  if (!res.ok) return;
  const times = res.canary.map((s) => s.observedAt);
  expect(res.stable.map((s) => s.observedAt)).toEqual(times);
  expect(times[0]).toBe(t0 + STEP);
  expect(times.at(-1)).toBe(tN);
  for (const t of times) expect(t % STEP).toBe(0);
  for (const version of [res.canary, res.stable]) {
    version.forEach((s, i) => {
      expect(s.requests).toBeGreaterThanOrEqual(0);
      expect(s.errors).toBeGreaterThanOrEqual(0);
      expect(s.errors).toBeLessThanOrEqual(s.requests);
      const prev = version[i - 1];
      if (!prev) return;
      expect(s.requests).toBeGreaterThanOrEqual(prev.requests);
      expect(s.errors).toBeGreaterThanOrEqual(prev.errors);
      s.latencyBuckets.forEach((b, k) => {
        expect(b.count).toBeGreaterThanOrEqual(0);
        expect(b.count).toBeGreaterThanOrEqual(prev.latencyBuckets[k]?.count ?? 0);
      });
    });
  }
}

const lastOf = (samples: VersionSample[]) => {
  const s = samples.at(-1);
  return s && { requests: s.requests, errors: s.errors, latencyBuckets: s.latencyBuckets };
};

describe('PrometheusSource.pairSeries against a real Prometheus scraping gateway replicas and pods', () => {
  let prom: ScrapingPrometheus;
  let proxy: CountingProxy;
  const replicas: Record<'a' | 'b' | 'c' | 'd', GatewayReplica> = {} as never;
  let canaryPod: ScrapeTarget;
  let stablePod: ScrapeTarget;
  let canaryMetrics: Metrics;
  const stableMetrics: Metrics = createMetrics('v1.0', { defaultMetrics: false });
  const gatewayLedger = new Ledger(ISTIO_BUCKETS_MS.map((ms) => ms * 0.001));
  const podLedger = new Ledger([0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 1, 2.5, 5]);

  /** One gateway replica serves `n` requests of `service`, counted in the ledger when it is open. */
  const serve = (r: GatewayReplica, service: string, code: number, latencyMs: number, n: number) => {
    r.serve(service, code, latencyMs, n);
    gatewayLedger.record(service, code, latencyMs * 0.001, n);
  };
  const observe = (m: Metrics, version: string, code: number, seconds: number, n: number) => {
    for (let i = 0; i < n; i++) m.observe({ version, route: '/api/work', code }, seconds);
    podLedger.record(version, code, seconds, n);
  };
  const scraped = (job: string) => waitForScrapeAfter(prom.url, job, now());
  /**
   * Waits until a scrape of every target, then a grid point, have passed: the judge's grid saw this state. With a step
   * no longer than the scrape interval the grid sees every raw sample; requests a process served after the last grid
   * point it was seen at and before it restarted or vanished are not counted (an undercount, never a double count).
   */
  const gridSaw = async (job: string) => {
    const at = await scraped(job);
    await clockPast(Math.ceil(at / STEP) * STEP);
    return at;
  };

  beforeAll(async () => {
    for (const k of ['a', 'b', 'c', 'd'] as const) replicas[k] = await startGatewayReplica(NS);
    replicas.c.mode = 'empty'; // a replica that does not exist yet
    canaryMetrics = createMetrics('v1.1', { defaultMetrics: false });
    canaryPod = await startRegistryTarget(() => canaryMetrics.registry.metrics());
    stablePod = await startRegistryTarget(() => stableMetrics.registry.metrics());
    prom = await startScrapingPrometheus([
      { job: GATEWAY, targets: Object.values(replicas).map((r) => ({ hostPort: r.hostPort })) },
      {
        job: PODS,
        targets: [
          { hostPort: canaryPod.hostPort, labels: { namespace: NS, pod: 'webapp-canary-5c8b7-x2k9p' } },
          { hostPort: stablePod.hostPort, labels: { namespace: NS, pod: 'webapp-stable-7d9f4-q8w3n' } },
        ],
      },
    ]);
    proxy = await startCountingProxy(prom.url);
  });

  afterAll(async () => {
    await proxy?.stop();
    await prom?.stop();
    for (const t of [...Object.values(replicas), canaryPod, stablePod]) await t?.stop();
  });

  let gateway: { res: PairSeriesResult; t0: number; tN: number; since: number; until: number };

  it('counts exactly what the gateway replicas served: one restarts, one vanishes, one is born, one misses t0', async () => {
    const { a, b, c, d } = replicas;
    // history: the services' series already exist in every replica (every release after the first)
    for (const r of [a, b, d]) {
      serve(r, CANARY, 200, 40, 3000);
      serve(r, CANARY, 503, 40, 60);
      serve(r, STABLE, 200, 30, 5000);
    }
    await scraped(GATEWAY);
    d.mode = 'fail'; // d's scrapes fail around t0: its series are stale at t0
    await scraped(GATEWAY);
    const since = now();
    const t0 = Math.ceil(since / STEP) * STEP;
    await clockPast(t0);
    // evidence of a process starts at the first grid point backed by a sample taken at or after `since`: let every
    // replica be scraped, and a grid point pass, before anything is served
    await clockPast(Math.ceil((await scraped(GATEWAY)) / STEP) * STEP);
    gatewayLedger.open = true;

    serve(a, CANARY, 200, 30, 40);
    serve(a, CANARY, 500, 80, 4);
    serve(a, CANARY, 200, 400, 3);
    serve(a, STABLE, 200, 20, 60);
    serve(b, CANARY, 200, 120, 30);
    serve(b, CANARY, 503, 5, 2);
    serve(b, STABLE, 200, 20, 50);
    d.mode = 'live';
    // d has no sample at or after `since` yet: what it serves before its first one cannot be told from what it served
    // before `since` (on a shared service, another revision's traffic), so it is not counted (not in the ledger)
    d.serve(CANARY, 200, 60, 10);
    await gridSaw(GATEWAY);

    a.restart(); // its counters drop to small values
    serve(a, CANARY, 200, 30, 7);
    serve(a, CANARY, 503, 30, 1);
    serve(a, STABLE, 200, 20, 5);
    serve(b, CANARY, 200, 70, 20);
    await gridSaw(GATEWAY);
    b.mode = 'empty'; // scaled down: its series go stale
    c.mode = 'live'; // a new replica, after t0
    serve(c, CANARY, 200, 700, 12);
    serve(c, CANARY, 500, 10, 3);
    serve(c, STABLE, 200, 15, 9);
    await gridSaw(GATEWAY);

    serve(a, CANARY, 200, 30, 15);
    serve(a, STABLE, 200, 20, 10);
    serve(c, CANARY, 200, 30, 5);
    await gridSaw(GATEWAY);
    gatewayLedger.open = false;
    const until = now();
    const tN = Math.floor(until / STEP) * STEP;

    const before = proxy.requests;
    const res = await new PrometheusSource(proxy.url).pairSeries(ISTIO_PAIR, since, until, STEP);
    gateway = { res, t0, tN, since, until };
    expectWellFormed(res, t0, tN);
    if (!res.ok) return;
    expect(lastOf(res.canary)).toEqual(gatewayLedger.expected(CANARY));
    expect(lastOf(res.stable)).toEqual(gatewayLedger.expected(STABLE));
    expect(gatewayLedger.expected(CANARY)).toMatchObject({ requests: 142, errors: 10 });
    expect(gatewayLedger.expected(STABLE)).toMatchObject({ requests: 134, errors: 0 });
    // (5) one query_range and one instant query, made at once
    expect(res.queries).toBe(2);
    expect(proxy.requests - before).toBe(2);
  });

  it('starts a service with history at zero, never negative, and series() agrees on the same grid', async () => {
    const { res, t0, tN } = gateway;
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const total = gatewayLedger.expected(CANARY).requests;
    for (const s of res.canary) expect(s.requests).toBeLessThanOrEqual(total);
    // nothing was served between t0 and the first replica's scrape after it, so nothing before `since` leaks in
    expect(res.canary[0]?.requests).toBeLessThan(total);
    const series = await new PrometheusSource(prom.url).series(istio(CANARY), t0, tN, STEP);
    expect(series.ok).toBe(true);
    // the same reading from since = t0 (evidence starts at each process's first sample at or after since)
    const same = await new PrometheusSource(prom.url).pairSeries(ISTIO_PAIR, t0, tN, STEP);
    expect(same.ok).toBe(true);
    if (series.ok && same.ok) expect(series.samples).toEqual(same.canary);
  });

  it('never counts what a shared service served before since, even when the first scrape after since carries it', async () => {
    const source = new PrometheusSource(prom.url);
    const { a } = replicas;
    for (let attempt = 0; attempt < 20; attempt++) {
      await scraped(GATEWAY);
      // just before a grid point, so the first scrape after since likely lands after the grid start t0
      await clockPast(Math.ceil(now() / STEP) * STEP - 0.3);
      a.serve(CANARY, 503, 30, 25); // the previous revision's errors on the shared canary service, just before since
      const since = now();
      const t0 = Math.ceil(since / STEP) * STEP;
      const at = await scraped(GATEWAY); // the first scrape after since carries them
      if (at <= t0) continue; // then t0's own value already holds them (no leak possible): try again
      await clockPast(Math.ceil(at / STEP) * STEP);
      a.serve(CANARY, 200, 30, 7); // this revision's own traffic
      const at2 = await scraped(GATEWAY);
      await clockPast(Math.ceil(at2 / STEP) * STEP);
      const res = await source.pairSeries(ISTIO_PAIR, since, now(), STEP);
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      expect(lastOf(res.canary)).toMatchObject({ requests: 7, errors: 0 });
      return;
    }
    throw new Error('no first scrape after since landed after the grid start in 20 tries');
  });

  it("takes newestSampleAt from the raw samples' own timestamps, and it ages once scraping stops", async () => {
    const fresh = await new PrometheusSource(prom.url).pairSeries(ISTIO_PAIR, gateway.since, now(), STEP);
    expect(fresh.ok).toBe(true);
    if (!fresh.ok) return;
    expect(fresh.newestSampleAt).not.toBeNull();
    expect(now() - (fresh.newestSampleAt ?? 0)).toBeLessThan(2.5);

    for (const r of Object.values(replicas)) r.mode = 'fail';
    await scraped(GATEWAY); // a failed scrape of every replica: their series are stale from here on
    const rawTimes = async (service: string) => {
      const sel = `istio_requests_total{destination_service_name="${service}"}[2m]`;
      const res = await fetch(`${prom.url}/api/v1/query?${new URLSearchParams({ query: sel })}`);
      const body = (await res.json()) as { data: { result: Array<{ values: Array<[number, string]> }> } };
      return body.data.result.flatMap((s) => s.values.map(([t]) => t));
    };
    const canaryTimes = await rawTimes(CANARY);
    const stableTimes = await rawTimes(STABLE);
    const raw = Math.min(Math.max(...canaryTimes), Math.max(...stableTimes));
    await clockPast(now() + 3);
    const until = now();
    const stale = await new PrometheusSource(prom.url).pairSeries(ISTIO_PAIR, gateway.since, until, STEP);
    expect(stale.ok).toBe(true);
    if (!stale.ok) return;
    // a raw scrape time (behind the staleness markers, found to 1 s), the newest one unless scrapes jittered
    expect([...canaryTimes, ...stableTimes]).toContain(stale.newestSampleAt);
    expect(stale.newestSampleAt).toBeLessThanOrEqual(raw);
    expect(stale.newestSampleAt).toBeGreaterThan(raw - 1.1);
    expect(until - (stale.newestSampleAt ?? until)).toBeGreaterThan(3);
    // the query step carries values forward, the judge's last grid point is newer than the data
    expect(stale.canary.at(-1)?.observedAt ?? 0).toBeGreaterThan(raw);
  });

  it('counts a crash-looping webapp canary pod exactly (its own counters reset, once visible only in errors)', async () => {
    observe(stableMetrics, 'v1.0', 200, 0.02, 500);
    observe(canaryMetrics, 'v1.1', 200, 0.02, 20);
    await scraped(PODS);
    const since = now();
    const t0 = Math.ceil(since / STEP) * STEP;
    await clockPast(t0);
    // evidence starts at the first grid point backed by a sample taken at or after since
    await clockPast(Math.ceil((await scraped(PODS)) / STEP) * STEP);
    podLedger.open = true;

    observe(canaryMetrics, 'v1.1', 200, 0.04, 27);
    observe(canaryMetrics, 'v1.1', 500, 0.004, 3);
    observe(stableMetrics, 'v1.0', 200, 0.03, 40);
    await gridSaw(PODS);
    canaryPod.mode = 'fail'; // crashed
    await gridSaw(PODS);
    canaryMetrics = createMetrics('v1.1', { defaultMetrics: false }); // restarted: counters from zero
    canaryPod.mode = 'live';
    observe(canaryMetrics, 'v1.1', 200, 0.35, 4);
    observe(canaryMetrics, 'v1.1', 500, 0.35, 1);
    await gridSaw(PODS);
    // crashes again and serves more than before its crash before the next scrape: only its errors went down
    canaryMetrics = createMetrics('v1.1', { defaultMetrics: false });
    observe(canaryMetrics, 'v1.1', 200, 0.2, 8);
    observe(stableMetrics, 'v1.0', 200, 0.03, 10);
    await gridSaw(PODS);
    podLedger.open = false;
    const until = now();

    const res = await new PrometheusSource(prom.url).pairSeries(
      { canary: { metrics: 'webapp', version: 'v1.1' }, stable: { metrics: 'webapp', version: 'v1.0' } },
      since,
      until,
      STEP,
    );
    expectWellFormed(res, t0, Math.floor(until / STEP) * STEP);
    if (!res.ok) return;
    expect(lastOf(res.canary)).toEqual(podLedger.expected('v1.1'));
    expect(lastOf(res.stable)).toEqual(podLedger.expected('v1.0'));
    expect(podLedger.expected('v1.1')).toMatchObject({ requests: 43, errors: 4 });
    expect(res.queries).toBe(2);
  });

  it('answers ok:false naming what failed, never throws', async () => {
    const t = now();
    const noCanary = await new PrometheusSource(prom.url).pairSeries(
      { canary: istio('webapp-nothing'), stable: istio(STABLE) },
      t - 60,
      t,
      STEP,
    );
    expect(noCanary.ok).toBe(false);
    expect(!noCanary.ok && noCanary.reason).toMatch(/no canary samples \(service demo\/webapp-nothing\)/);
    // label values are escaped: Prometheus parses the query and finds nothing, rather than answering HTTP 400
    const odd = await new PrometheusSource(prom.url).pairSeries(
      { canary: istio('we"ird\\svc\n'), stable: istio('a|b.*') },
      t - 60,
      t,
      STEP,
    );
    expect(!odd.ok && odd.reason).toMatch(/no canary samples/);

    const down = await new PrometheusSource(`http://127.0.0.1:${await freePort()}`, 500).pairSeries(
      ISTIO_PAIR,
      t - 60,
      t,
      STEP,
    );
    expect(!down.ok && down.reason).toMatch(
      /^Prometheus at http:\/\/127\.0\.0\.1:\d+: counters over the grid/,
    );

    const viaProxy = new PrometheusSource(proxy.url, 500);
    proxy.mode = 'http-500';
    const http500 = await viaProxy.pairSeries(ISTIO_PAIR, t - 60, t, STEP);
    expect(!http500.ok && http500.reason).toMatch(/query_range\): HTTP 500.*\(query\): HTTP 500/);
    proxy.mode = 'not-json';
    const notJson = await viaProxy.pairSeries(ISTIO_PAIR, t - 60, t, STEP);
    expect(!notJson.ok && notJson.reason).toMatch(/query_range\): .*JSON/);
    proxy.mode = 'hang';
    const hang = await viaProxy.pairSeries(ISTIO_PAIR, t - 60, t, STEP);
    expect(!hang.ok && hang.reason).toMatch(/query_range\): .*(timeout|abort)/i);
    proxy.mode = 'pass';

    const short = await new PrometheusSource(prom.url).pairSeries(ISTIO_PAIR, t - 1, t - 0.5, STEP);
    expect(short.ok).toBe(false);
  });
});
