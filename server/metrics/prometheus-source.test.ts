import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../loadgen/src/index';
import {
  freePort,
  type Started,
  startProcess,
  waitForHttp,
  webappEntry,
} from '../../support/testing/processes';
import { startTestPrometheus, type TestPrometheus, waitForScrapes } from '../../support/testing/prometheus';
import { PrometheusSource } from './prometheus-source';

describe('PrometheusSource against a real Prometheus scraping the webapp under load', () => {
  let app: Started;
  let prom: TestPrometheus;
  let port: number;
  let loadSince = 0;
  let loadTotal = 0;

  beforeAll(async () => {
    port = await freePort();
    app = startProcess(process.execPath, [webappEntry()], {
      PORT: String(port),
      HOST: '127.0.0.1',
      VERSION: 'v1.1',
      WARMUP_MS: '0',
      FAULT_ERROR_RATE: '0.2',
    });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    prom = await startTestPrometheus([{ job: 'webapp', hostPort: `127.0.0.1:${port}` }]);
    await waitForScrapes(prom.url, 2);
  });

  afterAll(async () => {
    await prom?.stop();
    await app?.stop();
  });

  it('returns the counts the load generator produced, errors and latency buckets included', async () => {
    const since = Date.now() / 1000;
    loadSince = Math.floor(since);
    await waitForScrapes(prom.url, 1); // a scrape before the load: the window's baseline
    const load = await runLoad({ url: `http://127.0.0.1:${port}/api/work`, rps: 100, durationMs: 4000 });
    await waitForScrapes(prom.url, 2); // scrapes after the last request: Prometheus has them all
    const until = Date.now() / 1000;
    const source = new PrometheusSource(prom.url);
    const res = await source.window({ metrics: 'webapp', version: 'v1.1' }, since, until);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.window.requests).toBe(load.total);
    loadTotal = load.total;
    expect(res.window.errors).toBe(load.statusCodes['500'] ?? 0);
    // Each request fails with probability 0.2: the count must not sit in either one-in-a-million tail of Binomial(n, 0.2).
    const n = res.window.requests;
    expect(binomialCdf(res.window.errors, n, 0.2)).toBeGreaterThan(1e-6);
    expect(1 - binomialCdf(res.window.errors - 1, n, 0.2)).toBeGreaterThan(1e-6);
    const inf = res.window.buckets.at(-1);
    expect(inf?.le).toBe(Number.POSITIVE_INFINITY);
    expect(inf?.count).toBe(load.total);
    expect(res.window.buckets.find((b) => b.le === 0.3)?.count).toBeLessThanOrEqual(load.total);
  });

  it('gives cumulative scrapes for the judge, ending at the window total', async () => {
    const since = loadSince;
    // `until` on the series' 2 s grid (its last sample is at `until`), and not before the newest scrape.
    const now = Math.floor(Date.now() / 1000);
    const until = now + ((now - since) % 2);
    while (Date.now() / 1000 < until) await new Promise((r) => setTimeout(r, 50));
    const source = new PrometheusSource(prom.url);
    const [series, win] = await Promise.all([
      source.series({ metrics: 'webapp', version: 'v1.1' }, since, until, 2),
      source.window({ metrics: 'webapp', version: 'v1.1' }, since, until),
    ]);
    expect(series.ok && win.ok).toBe(true);
    if (!series.ok || !win.ok) return;
    expect(series.samples.length).toBeGreaterThanOrEqual(Math.floor((until - since) / 2) - 1);
    expect(win.window.requests).toBe(loadTotal);
    const counts = series.samples.map((s) => s.requests);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(series.samples.at(-1)?.requests).toBe(win.window.requests);
    expect(series.samples.at(-1)?.latencyBuckets.at(-1)?.count).toBe(win.window.requests);
  });

  it('answers "no data" for a version that sent nothing, and for an unreachable Prometheus', async () => {
    const now = Date.now() / 1000;
    const none = await new PrometheusSource(prom.url).window(
      { metrics: 'webapp', version: 'v9.9' },
      now - 30,
      now,
    );
    expect(none).toEqual({ ok: false, reason: 'no samples for this version in the window' });
    const down = await new PrometheusSource(`http://127.0.0.1:${await freePort()}`, 500).window(
      { metrics: 'webapp', version: 'v1.1' },
      now - 30,
      now,
    );
    expect(down.ok).toBe(false);
    expect(!down.ok && down.reason).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+: /);
  });
});
