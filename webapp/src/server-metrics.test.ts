import { afterEach, describe, expect, it } from 'vitest';
import { parsePromText, sampleValue } from '../test/prom-text.js';
import { killAll, startServer } from '../test/server-harness.js';

afterEach(killAll);

async function scrape(url: string) {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePromText(await res.text());
}

describe('GET /metrics', () => {
  it('counts requests and observes durations by version, route and code', async () => {
    const server = await startServer({ VERSION: 'v1.1' });
    const work = { version: 'v1.1', route: '/api/work', code: '200' };

    const before = await scrape(server.url);
    expect(sampleValue(before, 'http_requests_total', work)).toBe(0);

    const N = 25;
    for (let i = 0; i < N; i++) expect((await fetch(`${server.url}/api/work`)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/no/such/${i}`)).status).toBe(404);
    expect((await fetch(`${server.url}/`)).status).toBe(200);

    const after = await scrape(server.url);
    expect(sampleValue(after, 'http_requests_total', work)).toBe(N);
    expect(sampleValue(after, 'http_request_duration_seconds_count', work)).toBe(N);
    expect(sampleValue(after, 'http_request_duration_seconds_bucket', { ...work, le: '+Inf' })).toBe(N);
    expect(sampleValue(after, 'http_request_duration_seconds_sum', work)).toBeGreaterThan(0);
    expect(sampleValue(after, 'http_requests_total', { route: 'other', code: '404' })).toBe(3);
    expect(sampleValue(after, 'http_requests_total', { route: '/', code: '200' })).toBe(1);
    // The earlier scrape itself was counted too.
    expect(sampleValue(after, 'http_requests_total', { route: '/metrics', code: '200' })).toBe(1);
    expect(sampleValue(after, 'webapp_build_info', { version: 'v1.1' })).toBe(1);

    // Exactly the configured buckets, cumulative.
    const buckets = after.filter(
      (s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === '/api/work',
    );
    expect(buckets.map((s) => s.labels.le)).toEqual([
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.2',
      '0.25',
      '0.3',
      '0.4',
      '0.5',
      '1',
      '2.5',
      '5',
      '+Inf',
    ]);
    const counts = buckets.map((s) => s.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    // Raw paths never become labels.
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes('/no/such')))).toBe(false);

    for (let i = 0; i < 10; i++) await (await fetch(`${server.url}/api/work`)).arrayBuffer();
    const later = await scrape(server.url);
    expect(sampleValue(later, 'http_requests_total', work)).toBe(N + 10);
    expect(sampleValue(later, 'http_request_duration_seconds_count', work)).toBe(N + 10);
    // Default process metrics are exported as well.
    expect(later.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });
});
