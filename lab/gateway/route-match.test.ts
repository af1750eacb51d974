import { describe, expect, it } from 'vitest';
import { IstioMetrics } from './istio-metrics';
import {
  type HttpMatchRequest,
  hostScore,
  matchAny,
  parseDurationMs,
  type RequestFacts,
} from './route-match';
import { serviceOf } from './routing-table';
import { WindowStats } from './window-stats';

const facts = (path: string, headers: Record<string, string> = {}): RequestFacts => ({
  host: 'webapp.local',
  method: 'GET',
  path,
  query: new URLSearchParams('a=1'),
  headers,
});

describe('Istio route matching', () => {
  it('matches uri exact/prefix/regex and headers exact/prefix, ORing match entries', () => {
    expect(matchAny(undefined, facts('/x'))).toBe(true);
    expect(matchAny([{ uri: { prefix: '/api' } }], facts('/api/work'))).toBe(true);
    expect(matchAny([{ uri: { exact: '/api' } }], facts('/api/work'))).toBe(false);
    expect(matchAny([{ uri: { regex: '/api/w.*' } }], facts('/api/work'))).toBe(true);
    expect(matchAny([{ uri: { regex: 'api' } }], facts('/api/work'))).toBe(false); // full match, as RE2 in Istio
    const canary: HttpMatchRequest[] = [
      { headers: { 'x-canary': { exact: 'true' } } },
      { headers: { cookie: { prefix: 'beta=' } } },
    ];
    expect(matchAny(canary, facts('/', { 'x-canary': 'true' }))).toBe(true);
    expect(matchAny(canary, facts('/', { cookie: 'beta=1' }))).toBe(true);
    expect(matchAny(canary, facts('/', { 'x-canary': 'false' }))).toBe(false);
    expect(
      matchAny([{ uri: { prefix: '/api' }, headers: { 'x-canary': { exact: 'true' } } }], facts('/api')),
    ).toBe(false);
    expect(matchAny([{ queryParams: { a: { exact: '1' } } }], facts('/'))).toBe(true);
  });

  it('scores hosts, parses durations and destination hosts', () => {
    expect(hostScore('webapp.local', 'webapp.local')).toBe(3);
    expect(hostScore('*.local', 'webapp.local')).toBe(2);
    expect(hostScore('*', 'webapp.local')).toBe(1);
    expect(hostScore('other.local', 'webapp.local')).toBe(0);
    expect(parseDurationMs('2s')).toBe(2000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(serviceOf('webapp-stable', 'demo')).toEqual({ name: 'webapp-stable', namespace: 'demo' });
    expect(serviceOf('webapp-canary.prod.svc.cluster.local', 'demo')).toEqual({
      name: 'webapp-canary',
      namespace: 'prod',
    });
  });
});

describe('gateway metrics', () => {
  const labels = {
    destination_service_name: 'webapp-canary',
    destination_service_namespace: 'demo',
    destination_workload: 'webapp-abc',
    destination_workload_namespace: 'demo',
    destination_version: 'v1.1',
    destination_canonical_service: 'webapp',
    destination_app: 'webapp',
    response_code: '200',
    response_flags: '-',
  };

  it("renders counters and cumulative histogram buckets (ms, Envoy's defaults: 250 then 500)", () => {
    const m = new IstioMetrics();
    m.observe(labels, 3);
    m.observe(labels, 280);
    const text = m.render();
    expect(text).toMatch(
      /istio_requests_total\{[^}]*destination_service_name="webapp-canary"[^}]*reporter="source"[^}]*\} 2/,
    );
    expect(text).toMatch(/_bucket\{[^}]*le="1"\} 0/);
    expect(text).toMatch(/_bucket\{[^}]*le="5"\} 1/);
    expect(text).toMatch(/_bucket\{[^}]*le="250"\} 1/);
    expect(text).not.toMatch(/le="300"/);
    expect(text).toMatch(/_bucket\{[^}]*le="500"\} 2/);
    expect(text).toMatch(/_bucket\{[^}]*le="\+Inf"\} 2/);
    expect(text).toMatch(/istio_request_duration_milliseconds_sum\{[^}]*\} 287.961461/); // libcircllhist py-0.3.2 hist_bucket_midpoint
  });

  it('answers a window since a given second', () => {
    const w = new WindowStats();
    const t = 1_700_000_000_000;
    w.record('demo', 'webapp-canary', 200, 20, t);
    w.record('demo', 'webapp-canary', 500, 200, t + 1000);
    w.record('demo', 'webapp-stable', 200, 20, t + 1000);
    const all = w.query('demo', 'webapp-canary', t / 1000, t + 2000);
    expect(all).toMatchObject({ requests: 2, errors: 1, unit: 'ms' });
    expect(all.buckets.find((b) => b.le === 25)?.count).toBe(1);
    expect(all.buckets.at(-1)).toEqual({ le: '+Inf', count: 2 });
    expect(w.query('demo', 'webapp-canary', t / 1000 + 1, t + 2000)).toMatchObject({
      requests: 1,
      errors: 1,
    });
    expect(w.query(null, 'webapp-stable', undefined, t + 2000).requests).toBe(1);
  });
});
