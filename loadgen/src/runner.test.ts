import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from './runner';
import { freePort, json, startServer, type TestServer } from './testing/server';
import type { RequestResult } from './types';

const servers: TestServer[] = [];
async function server(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('rate mode (open loop)', () => {
  it('sends rps x duration requests at a steady pace', async () => {
    const s = await server((_n, _req, res) => json(res, 200, { version: 'v1.0' }));
    const r = await runLoad({ url: s.url, rps: 100, durationMs: 2000 });
    expect(r.mode).toBe('rate');
    expect(r.requestedRps).toBe(100);
    expect(r.total).toBeGreaterThanOrEqual(190);
    expect(r.total).toBeLessThanOrEqual(210);
    expect(s.count()).toBe(r.total);
    expect(Math.abs(r.achievedRps - 100) / 100).toBeLessThan(0.05);
    expect(r.ok).toBe(r.total);
    expect(r.statusCodes).toEqual({ '200': r.total });
    expect(r.versions).toEqual({ 'v1.0': r.total });
    expect(r.perVersion?.['v1.0']?.count).toBe(r.total);
    expect(r.schedule?.dropped).toBe(0);
    // the server saw the requests spread over the 2 s, not in a burst
    const firstSecond = s.arrivals.filter((t) => t - (s.arrivals[0] ?? 0) < 1000).length;
    expect(firstSecond).toBeGreaterThanOrEqual(90);
    expect(firstSecond).toBeLessThanOrEqual(110);
  });

  it('keeps the pace when responses are slow (200 ms at 50 rps)', async () => {
    const s = await server((_n, _req, res) => json(res, 200, { ok: true }, 200));
    const r = await runLoad({ url: s.url, rps: 50, durationMs: 2000 });
    expect(r.total).toBeGreaterThanOrEqual(95);
    expect(r.total).toBeLessThanOrEqual(105);
    expect(Math.abs(r.achievedRps - 50) / 50).toBeLessThan(0.05);
    // about rps x latency = 10 requests were in flight at once: no waiting for responses
    expect(s.maxInflight()).toBeGreaterThanOrEqual(8);
    const span = (s.arrivals.at(-1) ?? 0) - (s.arrivals[0] ?? 0);
    expect(span).toBeGreaterThan(1800);
    expect(span).toBeLessThan(2200);
    expect(r.latencyMs?.min).toBeGreaterThanOrEqual(195);
    expect(r.wallSeconds).toBeGreaterThanOrEqual(2);
  });

  it('drops sends beyond --max-inflight and counts them', async () => {
    const s = await server((_n, _req, res) => json(res, 200, {}, 400));
    const r = await runLoad({ url: s.url, rps: 100, durationMs: 1000, maxInflight: 5 });
    expect(s.maxInflight()).toBeLessThanOrEqual(5);
    expect(r.schedule?.planned).toBe(100);
    expect(r.schedule?.dropped).toBeGreaterThan(50);
    expect(r.total + (r.schedule?.dropped ?? 0)).toBe(100);
  });

  it('stops after --requests', async () => {
    const s = await server((_n, _req, res) => json(res, 200, {}));
    const r = await runLoad({ url: s.url, rps: 200, requests: 40 });
    expect(r.total).toBe(40);
    expect(s.count()).toBe(40);
    expect(r.durationSeconds).toBeCloseTo(0.2, 2);
  });
});

describe('concurrency mode (closed loop)', () => {
  it('never has more than N requests in flight', async () => {
    const s = await server((_n, _req, res) => json(res, 200, {}, 5));
    const r = await runLoad({ url: s.url, concurrency: 4, durationMs: 1000 });
    expect(s.maxInflight()).toBe(4);
    expect(r.concurrency).toBe(4);
    expect(r.total).toBe(s.count());
    expect(r.total).toBeGreaterThan(100);
  });

  it('counts status codes exactly (500 for every 4th request)', async () => {
    const s = await server((n, _req, res) =>
      json(res, n % 4 === 0 ? 500 : 200, { version: n % 2 ? 'v1.0' : 'v1.1' }),
    );
    const r = await runLoad({ url: s.url, concurrency: 5, requests: 200 });
    expect(r.total).toBe(200);
    expect(r.statusCodes).toEqual({ '200': 150, '500': 50 });
    expect(r.ok).toBe(150);
    expect(r.failed).toBe(50);
    expect(r.errors).toEqual({});
    expect(r.versions).toEqual({ 'v1.0': 100, 'v1.1': 100 });
    expect(r.perVersion?.['v1.1']?.statusCodes).toEqual({ '200': 50, '500': 50 });
    expect(r.perVersion?.['v1.0']?.failed).toBe(0);
  });

  it('sends method, headers and body', async () => {
    const bodies: string[] = [];
    const s = await server((_n, req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => {
        b += c.toString();
      });
      req.on('end', () => {
        bodies.push(`${req.method} ${b}`);
        json(res, 201, {});
      });
    });
    const r = await runLoad({
      url: s.url,
      concurrency: 1,
      requests: 3,
      method: 'post',
      body: '{"a":1}',
      headers: { host: 'webapp.example', 'x-test': 'yes' },
    });
    expect(r.statusCodes).toEqual({ '201': 3 });
    expect(bodies).toEqual(['POST {"a":1}', 'POST {"a":1}', 'POST {"a":1}']);
    expect(s.headers[0]?.host).toBe('webapp.example');
    expect(s.headers[0]?.['x-test']).toBe('yes');
    expect(r.bytesSent).toBe(21);
  });
});

describe('errors', () => {
  it('counts timeouts', async () => {
    const s = await server(() => {
      // never answers
    });
    const r = await runLoad({ url: s.url, concurrency: 3, requests: 6, timeoutMs: 100 });
    expect(r.total).toBe(6);
    expect(r.errors).toEqual({ timeout: 6 });
    expect(r.failed).toBe(6);
    expect(r.latencyMs).toBeNull();
  });

  it('counts timeouts in rate mode without hanging on the drain', async () => {
    const s = await server(() => {});
    const r = await runLoad({ url: s.url, rps: 20, durationMs: 500, timeoutMs: 300 });
    // Each request ends as a timeout of its own; one still waiting at the drain's end (1.3 s) would be `aborted`.
    expect(r.errors).toEqual({ timeout: 10 });
  });

  it('counts connection refused', async () => {
    const port = await freePort();
    const r = await runLoad({ url: `http://127.0.0.1:${port}/`, rps: 20, durationMs: 500 });
    expect(r.total).toBe(10);
    expect(r.errors).toEqual({ ECONNREFUSED: 10 });
    expect(r.ok).toBe(0);
  });

  it('counts connection resets', async () => {
    const s = await server((_n, req) => req.socket.destroy());
    const r = await runLoad({ url: s.url, concurrency: 2, requests: 4 });
    expect(r.total).toBe(4);
    expect(r.errors).toEqual({ ECONNRESET: 4 });
  });

  it('rejects invalid options', async () => {
    await expect(runLoad({ url: 'http://x/' })).rejects.toThrow(/exactly one of rps or concurrency/);
    await expect(runLoad({ url: 'http://x/', rps: 1, durationMs: 2 * 3_600_000 })).rejects.toThrow(/1h/);
    await expect(runLoad({ url: 'file:///etc/passwd', rps: 1 })).rejects.toThrow(/protocol/);
  });
});

describe('latency and control', () => {
  it('measures known server latencies', async () => {
    // Every 10th request is held 500 ms by the server, the rest answer at once: p50 and p90 fall among the fast ones,
    // p95 and the max among the held ones. The split is wide, so a busy machine's delay on the fast ones (tens of
    // ms) cannot move a percentile across it.
    const s = await server((n, _req, res) => json(res, 200, {}, n % 10 === 0 ? 500 : 0));
    const r = await runLoad({ url: s.url, concurrency: 1, requests: 50 });
    const l = r.latencyMs;
    expect(l).not.toBeNull();
    expect(l?.p50).toBeLessThan(500);
    expect(l?.p90).toBeLessThan(500);
    expect(l?.p95).toBeGreaterThanOrEqual(499);
    expect(l?.max).toBeGreaterThanOrEqual(499);
    expect(l?.min).toBeLessThanOrEqual(l?.p50 ?? 0);
  });

  it('stops on abort, waits for in-flight requests and reports progress', async () => {
    const ac = new AbortController();
    // Aborted when the 60th request arrives (about 1.2 s in at 50 rps), not by a timer.
    const s = await server((n, _req, res) => {
      if (n === 60) ac.abort();
      json(res, 200, {}, 100);
    });
    const progress: number[] = [];
    const r = await runLoad(
      { url: s.url, rps: 50, durationMs: 30_000 },
      { signal: ac.signal, onProgress: (p) => progress.push(p.sent), progressIntervalMs: 500 },
    );
    expect(r.interrupted).toBe(true);
    expect(r.total).toBe(s.count());
    // Sending stopped at the abort: at most the few already on the wire came after the 60th (not 1,500 in 30 s).
    expect(r.total).toBeGreaterThanOrEqual(60);
    expect(r.total).toBeLessThan(70);
    expect(r.errors).toEqual({});
    expect(progress.length).toBeGreaterThanOrEqual(2);
  });

  it('aborts requests that outlive the drain timeout', async () => {
    const s = await server(() => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runLoad(
      { url: s.url, concurrency: 2, durationMs: 10_000, drainTimeoutMs: 100 },
      { signal: ac.signal },
    );
    // Aborted at the drain's end (100 ms), not waiting for their own timeout (they would count as `timeout`).
    expect(r.errors).toEqual({ aborted: 2 });
  });
});

describe('onResult', () => {
  it('reports each request with its status, version and the error a JSON body names', async () => {
    const s = await server((n, _req, res) =>
      n % 2 === 0
        ? json(res, 500, { error: 'injected fault', version: 'v1.1' })
        : json(res, 200, { version: 'v1.0' }),
    );
    const seen: RequestResult[] = [];
    const r = await runLoad({ url: s.url, concurrency: 1, requests: 10 }, { onResult: (x) => seen.push(x) });
    expect(seen).toHaveLength(r.total);
    expect(seen.filter((x) => x.status === 500).map((x) => [x.bodyError, x.version])).toEqual(
      Array(5).fill(['injected fault', 'v1.1']),
    );
    expect(
      seen.filter((x) => x.status === 200).every((x) => x.bodyError === undefined && x.version === 'v1.0'),
    ).toBe(true);
    expect(seen.every((x) => x.sentAt <= x.endedAt)).toBe(true);
  });

  it('reports a transport error as status 0 with its kind', async () => {
    const port = await freePort();
    const seen: RequestResult[] = [];
    await runLoad(
      { url: `http://127.0.0.1:${port}/`, concurrency: 1, requests: 3 },
      { onResult: (x) => seen.push(x) },
    );
    expect(seen.map((x) => [x.status, x.errorKind])).toEqual(Array(3).fill([0, 'ECONNREFUSED']));
  });
});
