import { describe, expect, it } from 'vitest';
import { gridQueries, versionSelectors } from './version-queries';

describe('gridQueries', () => {
  const canary = { metrics: 'istio' as const, namespace: 'demo', service: 'webapp-canary' };
  const stable = { metrics: 'istio' as const, namespace: 'demo', service: 'webapp-stable' };

  it('reads every counter of both versions per source process in one range query', () => {
    const q = gridQueries(
      [
        { role: 'canary', target: canary },
        { role: 'stable', target: stable },
      ],
      { t0: 1700000000 },
    );
    const branches = q.range.split(' or ');
    expect(branches).toHaveLength(8);
    expect(branches[0]).toBe(
      'label_replace(label_replace(sum by (job, instance, pod) (istio_requests_total{reporter="source",' +
        'destination_service_namespace="demo",destination_service_name="webapp-canary"}), "kind", "requests", "", ""), ' +
        '"role", "canary", "", "")',
    );
    expect(branches[1]).toContain('response_code=~"5.."');
    expect(branches[2]).toContain(
      'sum by (job, instance, pod, le) (istio_request_duration_milliseconds_bucket{',
    );
    // the time of the raw sample behind each grid point, per process (evidence starts at the first one ≥ since)
    expect(branches[3]).toMatch(
      /^label_replace\(label_replace\(max by \(job, instance, pod\) \(timestamp\(istio_requests_total\{/,
    );
    expect(branches[3]).toContain('"kind", "ts"');
    expect(q.range).not.toMatch(/rate\(|increase\(/);
    // baselines before t0 behind staleness markers, and the raw samples' own timestamps
    expect(q.instant).toContain('last_over_time(istio_requests_total{');
    expect(q.instant).toContain('[600s] @ 1700000000.000))');
    expect(q.instant).toContain('max(timestamp(istio_requests_total{');
    expect(q.instant).toContain('max(max_over_time(timestamp(istio_requests_total{');
    expect(q.instant).toContain('[300s:1s]))');
  });

  it('escapes every label value, and the webapp target groups the same way', () => {
    const odd = { metrics: 'istio' as const, namespace: 'a"b', service: 'x\\y\nz' };
    const q = gridQueries([{ role: 'canary', target: odd }], { t0: 1, freshness: false });
    expect(q.range).toContain('destination_service_namespace="a\\"b",destination_service_name="x\\\\y\\nz"');
    expect(q.instant).not.toContain('timestamp(');
    expect(versionSelectors({ metrics: 'webapp', version: 'v1.1' })).toEqual({
      requests: 'http_requests_total{version="v1.1",route="/api/work"}',
      errors: 'http_requests_total{version="v1.1",route="/api/work",code=~"5.."}',
      buckets: 'http_request_duration_seconds_bucket{version="v1.1",route="/api/work"}',
    });
    expect(() => gridQueries([{ role: 'canary', target: odd }], { t0: Number.NaN })).toThrow();
  });
});
