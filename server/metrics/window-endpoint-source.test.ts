import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WindowStats } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WindowEndpointSource } from './window-endpoint-source';

/**
 * The lab gateway's window endpoint (its WindowStats behind the same query parameters), on 127.0.0.1: not the whole
 * gateway, because the test records exact per-second counts without pods or load (the real gateway's endpoint is read
 * in rollout-traffic.integration.test.ts).
 */
describe('WindowEndpointSource.pairSeries over the lab window endpoint', () => {
  const stats = new WindowStats();
  let server: http.Server;
  let url = '';
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      const u = new URL(req.url ?? '/', 'http://x');
      const num = (v: string | null) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
      const answer = stats.query(
        u.searchParams.get('namespace'),
        u.searchParams.get('service') ?? '',
        num(u.searchParams.get('since')),
        Date.now(),
        num(u.searchParams.get('until')),
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab/v1/window`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('puts both versions on the fixed grid, cumulative from t0, and names what it could not read', async () => {
    const step = 5;
    const t0 = Math.ceil(Date.now() / 1000 / step) * step - 60;
    const at = (t: number) => t * 1000 + 300;
    for (let i = 0; i < 10; i++) stats.record('demo', 'webapp-canary', 200, 20, at(t0 - 3)); // before t0
    for (let i = 0; i < 5; i++) stats.record('demo', 'webapp-canary', 200, 20, at(t0 + 1));
    for (let i = 0; i < 3; i++) stats.record('demo', 'webapp-canary', 503, 400, at(t0 + 7));
    for (let i = 0; i < 7; i++) stats.record('demo', 'webapp-stable', 200, 20, at(t0 + 2));
    const source = new WindowEndpointSource(url);
    const istio = (service: string) => ({ metrics: 'istio' as const, namespace: 'demo', service });
    const before = hits;
    const res = await source.pairSeries(
      { canary: istio('webapp-canary'), stable: istio('webapp-stable') },
      t0 - 2,
      t0 + 3 * step + 1,
      step,
    );
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.canary.map((s) => [s.observedAt, s.requests, s.errors])).toEqual([
      [t0 + 5, 5, 0],
      [t0 + 10, 8, 3],
      [t0 + 15, 8, 3],
    ]);
    expect(res.stable.map((s) => [s.observedAt, s.requests])).toEqual([
      [t0 + 5, 7],
      [t0 + 10, 7],
      [t0 + 15, 7],
    ]);
    expect(res.canary.at(-1)?.latencyBuckets.find((b) => b.le === 0.25)?.count).toBe(5);
    expect(res.newestSampleAt).toBe(t0 + 3 * step + 1);
    expect(res.queries).toBe(6);
    expect(hits - before).toBe(6);

    const noStable = await source.pairSeries(
      { canary: istio('webapp-canary'), stable: istio('webapp-nothing') },
      t0,
      t0 + 10,
      step,
    );
    expect(noStable.ok && noStable.stable).toEqual([]);
    const noCanary = await source.pairSeries(
      { canary: istio('webapp-nothing'), stable: istio('webapp-stable') },
      t0,
      t0 + 10,
      step,
    );
    expect(!noCanary.ok && noCanary.reason).toMatch(/no canary requests/);
    const webapp = await source.pairSeries(
      { canary: { metrics: 'webapp', version: 'v1.1' }, stable: istio('webapp-stable') },
      t0,
      t0 + 10,
      step,
    );
    expect(!webapp.ok && webapp.reason).toBe('canary: the window endpoint serves service metrics only');
  });
});
