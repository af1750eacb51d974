/**
 * The canary Grafana dashboard parses, and every panel's PromQL is accepted by a real Prometheus (the Debian binary),
 * which scrapes the lab gateway's Istio metrics (lab/gateway/istio-metrics.ts): the Istio panels must also
 * return data for the lab's label set.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IstioMetrics, type RequestLabels } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '@/support/testing/tools';
import { MANIFESTS } from './manifests-helpers';

interface Target {
  expr?: string;
  refId: string;
}
interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: Target[];
}

const dashboard = JSON.parse(
  readFileSync(path.join(MANIFESTS, 'observability/dashboards/canary.json'), 'utf8'),
) as {
  uid: string;
  panels: Panel[];
  templating: { list: Array<{ name: string }> };
};

const VARS: Record<string, string> = { namespace: 'demo', rollout: 'webapp', __rate_interval: '1m' };
const substitute = (expr: string) =>
  expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => {
    const v = VARS[name];
    if (v === undefined) throw new Error(`unknown dashboard variable ${m} in ${expr}`);
    return v;
  });

const queries = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr ?? '' })),
);

describe('the canary dashboard JSON', () => {
  it('has the uid the control center links to, its variables, and a query on every panel', () => {
    expect(dashboard.uid).toBe('canary');
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'namespace', 'rollout']);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(5);
    for (const p of dashboard.panels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
      expect(p.datasource?.uid).toBe('${datasource}');
      for (const t of p.targets ?? []) expect(t.expr, `${p.title} ${t.refId}`).toBeTruthy();
    }
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const what of ['requests per second', 'error rate', 'p95', 'traffic share'])
      expect(titles).toContain(what);
  });
});

describe('every panel query against a real Prometheus scraping lab metrics', () => {
  let exporter: Server;
  let prom: ChildProcess;
  let dir: string;
  let promUrl = '';
  let ticker: NodeJS.Timeout;

  // The gateway's IstioMetrics behind a bare exporter, not the gateway: both versions' series (200 and 500) without
  // pods or load (the gateway itself under Prometheus: lab/metrics/prometheus.test.ts).
  const metrics = new IstioMetrics();
  const labels = (service: string, version: string, code: string): RequestLabels => ({
    destination_service_name: service,
    destination_service_namespace: 'demo',
    destination_workload: `webapp-${version}`,
    destination_workload_namespace: 'demo',
    destination_version: version,
    destination_canonical_service: 'webapp',
    destination_app: 'webapp',
    response_code: code,
    response_flags: '-',
  });
  const traffic = () => {
    for (let i = 0; i < 9; i++) metrics.observe(labels('webapp-stable', 'v1.0', '200'), 20 + i);
    metrics.observe(labels('webapp-canary', 'v1.1', '200'), 40);
    metrics.observe(labels('webapp-canary', 'v1.1', '500'), 350);
  };

  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });

  async function query(
    expr: string,
  ): Promise<{ status: number; body: { status: string; data?: { result: unknown[] } } }> {
    const res = await fetch(`${promUrl}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr }),
    });
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    // Fails (naming prometheus and its Debian package) when it is not installed: never a silent skip.
    const prometheus = requireTool('prometheus');
    traffic();
    ticker = setInterval(traffic, 200);
    exporter = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
    });
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const exporterPort = (exporter.address() as AddressInfo).port;
    dir = mkdtempSync(path.join(tmpdir(), 'cc-dashboard-prom-'));
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 500ms\nscrape_configs:\n  - job_name: lab-gateway\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(
      prometheus,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    // Ready, then at least 3 scrapes so that rate() over the window has points.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('Prometheus did not collect lab metrics in 30 s');
      try {
        const r = await query('count_over_time(istio_requests_total[1m])');
        const result = (r.body.data?.result ?? []) as Array<{ value: [number, string] }>;
        if (result.length > 0 && result.every((s) => Number(s.value[1]) >= 3)) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 40_000);

  afterAll(() => {
    clearInterval(ticker);
    prom?.kill('SIGTERM');
    exporter?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(queries)('$panel ($refId) parses and evaluates', async ({ expr }) => {
    const r = await query(substitute(expr));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('success');
    // Istio panels see both versions of the lab's traffic; the webapp's own metrics are not in this fixture.
    if (expr.includes('istio_')) expect((r.body.data?.result ?? []).length).toBeGreaterThan(0);
  });

  it('a broken expression is rejected with HTTP 400 (so the check above means something)', async () => {
    const r = await query('sum by (destination_service_name (rate(istio_requests_total[1m]))');
    expect(r.status).toBe(400);
  });
});
