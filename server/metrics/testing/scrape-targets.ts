import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { escapeLabelValue } from '@/lib/promql/escape';
import { freePort, type Started, startProcess, waitForHttp } from '../../../support/testing/processes';

/** Istio's default request duration buckets (ms), as its stats filter declares them. */
export const ISTIO_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * What one scrape target exposes: `live` its series, `empty` no series at all (Prometheus marks them stale), `fail`
 * HTTP 500 (a failed scrape: stale too).
 */
export type TargetMode = 'live' | 'empty' | 'fail';

/**
 * A scrape target on 127.0.0.1 whose exposition text the test controls: not the lab gateway, because these tests need
 * counter resets, vanishing series and failed scrapes on cue, which the gateway does not produce on demand (the
 * gateway's own metrics under Prometheus: lab/metrics/prometheus.test.ts).
 */
export interface ScrapeTarget {
  hostPort: string;
  mode: TargetMode;
  stop(): Promise<void>;
}

async function startTarget(render: () => string | Promise<string>): Promise<ScrapeTarget> {
  const target = { mode: 'live' as TargetMode };
  const server = http.createServer(async (_req, res) => {
    if (target.mode === 'fail') {
      res.writeHead(500).end('down');
      return;
    }
    const text = target.mode === 'empty' ? '' : await render();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text);
  });
  const hostPort = await listen(server);
  return Object.assign(target, { hostPort, stop: () => close(server) });
}

interface IstioSeries {
  service: string;
  code: number;
  count: number;
  sumMs: number;
  /** Non-cumulative counts per ISTIO_BUCKETS_MS slot, the last slot being above the largest bound. */
  slots: number[];
}

/**
 * One ingress-gateway proxy's Istio metrics (`reporter="source"`), served on 127.0.0.1 for a real Prometheus to
 * scrape: `serve` counts requests like Envoy does, `restart` starts every counter again from zero.
 */
export interface GatewayReplica extends ScrapeTarget {
  serve(service: string, code: number, latencyMs: number, n?: number): void;
  restart(): void;
}

export async function startGatewayReplica(namespace: string): Promise<GatewayReplica> {
  const series = new Map<string, IstioSeries>();
  const labels = (s: IstioSeries) =>
    [
      'reporter="source"',
      'source_workload="istio-ingressgateway"',
      'source_workload_namespace="istio-system"',
      `destination_service="${escapeLabelValue(`${s.service}.${namespace}.svc.cluster.local`)}"`,
      `destination_service_name="${escapeLabelValue(s.service)}"`,
      `destination_service_namespace="${escapeLabelValue(namespace)}"`,
      `response_code="${s.code}"`,
      'response_flags="-"',
    ].join(',');
  const render = () => {
    const lines = ['# TYPE istio_requests_total counter'];
    for (const s of series.values()) lines.push(`istio_requests_total{${labels(s)}} ${s.count}`);
    lines.push('# TYPE istio_request_duration_milliseconds histogram');
    for (const s of series.values()) {
      let acc = 0;
      ISTIO_BUCKETS_MS.forEach((le, i) => {
        acc += s.slots[i] ?? 0;
        lines.push(`istio_request_duration_milliseconds_bucket{${labels(s)},le="${le}"} ${acc}`);
      });
      lines.push(`istio_request_duration_milliseconds_bucket{${labels(s)},le="+Inf"} ${s.count}`);
      lines.push(`istio_request_duration_milliseconds_sum{${labels(s)}} ${s.sumMs}`);
      lines.push(`istio_request_duration_milliseconds_count{${labels(s)}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  };
  const target = await startTarget(render);
  return Object.assign(target, {
    serve(service: string, code: number, latencyMs: number, n = 1) {
      const key = `${service}|${code}`;
      let s = series.get(key);
      if (!s) {
        s = { service, code, count: 0, sumMs: 0, slots: new Array(ISTIO_BUCKETS_MS.length + 1).fill(0) };
        series.set(key, s);
      }
      const slot = ISTIO_BUCKETS_MS.findIndex((le) => latencyMs <= le);
      const i = slot === -1 ? ISTIO_BUCKETS_MS.length : slot;
      s.count += n;
      s.sumMs += n * latencyMs;
      s.slots[i] = (s.slots[i] ?? 0) + n;
    },
    restart() {
      series.clear();
    },
  });
}

/** A scrape target exposing a prom-client registry's text (the demo webapp's own metrics code). */
export function startRegistryTarget(metrics: () => Promise<string>): Promise<ScrapeTarget> {
  return startTarget(metrics);
}

export interface PromJob {
  job: string;
  targets: Array<{ hostPort: string; labels?: Record<string, string> }>;
}

export interface ScrapingPrometheus {
  url: string;
  stop(): Promise<void>;
  process: Started;
}

/** A real Prometheus scraping every target of each job every second (several instances per job, static labels). */
export async function startScrapingPrometheus(jobs: PromJob[]): Promise<ScrapingPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prom-pair-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: jobs.map((j) => ({
      job_name: j.job,
      static_configs: j.targets.map((t) => ({ targets: [t.hostPort], labels: t.labels ?? {} })),
    })),
  };
  writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
  const proc = startProcess('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/-/ready`, 30_000);
    const count = jobs.reduce((n, j) => n + j.targets.length, 0);
    const deadline = Date.now() + 30_000;
    while ((await instant(url, 'up')).length < count) {
      if (Date.now() > deadline) throw new Error(`Prometheus did not scrape its ${count} targets`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    const out = proc.output();
    await stop();
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return { url, stop, process: proc };
}

/** An instant query straight to Prometheus (test bookkeeping, not the code under test). */
export async function instant(
  url: string,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
  if (!res.ok) return [];
  const body = (await res.json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return body.data.result;
}

/**
 * Waits until Prometheus has stored a scrape of every target of `job` that started after `after` (unix seconds), by
 * polling `timestamp(up)`; returns the newest such scrape time.
 */
export async function waitForScrapeAfter(url: string, job: string, after: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  const q = `timestamp(up{job="${escapeLabelValue(job)}"})`;
  for (;;) {
    const r = await instant(url, q);
    const ts = r.map((s) => Number(s.value[1]));
    if (ts.length > 0 && Math.min(...ts) > after) return Math.max(...ts);
    if (Date.now() > deadline) throw new Error(`no scrape of job ${job} after ${after}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the wall clock has passed `t` (unix seconds): grid points are wall-clock times. */
export async function clockPast(t: number): Promise<void> {
  const ms = t * 1000 - Date.now();
  if (ms > -1) await new Promise((r) => setTimeout(r, Math.max(0, ms) + 50));
}

export type ProxyMode = 'pass' | 'http-500' | 'not-json' | 'hang';

/**
 * A pass-through HTTP proxy in front of Prometheus that counts the requests it forwards, or fails them on demand
 * (an HTTP error, a body that is not JSON, no answer at all).
 */
export interface CountingProxy {
  url: string;
  mode: ProxyMode;
  requests: number;
  stop(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const proxy = { mode: 'pass' as ProxyMode, requests: 0 };
  const server = http.createServer((req, res) => {
    proxy.requests++;
    if (proxy.mode === 'hang') return;
    if (proxy.mode === 'http-500') {
      res.writeHead(500).end('internal error');
      return;
    }
    if (proxy.mode === 'not-json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('<html>gateway</html>');
      return;
    }
    const u = new URL(req.url ?? '/', upstream);
    const out = http.request(u, { method: req.method, headers: { ...req.headers, host: u.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  const hostPort = await listen(server);
  return Object.assign(proxy, { url: `http://${hostPort}`, stop: () => close(server) });
}
