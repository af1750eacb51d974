import { describe, expect, it } from 'vitest';
import { escapeLabelValue, escapeRegexValue, rangeSeconds, selector } from './escape';
import { versionQueries } from './version-queries';

describe('PromQL escaping', () => {
  it('escapes quotes, backslashes and newlines in label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(selector({ app: 'x"} or vector(1) #' })).toBe('{app="x\\"} or vector(1) #"}');
  });

  it('escapes regex metacharacters before quoting', () => {
    expect(escapeRegexValue('v1.1+')).toBe('v1\\\\.1\\\\+');
  });

  it('refuses label names that are not identifiers', () => {
    expect(() => selector({ 'a"b': 'x' })).toThrow(/invalid PromQL label name/);
  });

  it('builds Istio queries for one service over whole seconds', () => {
    const q = versionQueries({ metrics: 'istio', namespace: 'demo', service: 'webapp-canary' }, 90.4);
    expect(q.requests).toBe(
      'sum(istio_requests_total{reporter="source",destination_service_namespace="demo",destination_service_name="webapp-canary"})',
    );
    expect(q.errors).toContain('response_code=~"5.."');
    expect(q.buckets).toMatch(/^sum by \(le\) \(istio_request_duration_milliseconds_bucket\{/);
    expect(q.resets).toMatch(/^sum\(resets\(istio_requests_total\{.*\}\[90s\]\)\)$/);
    expect(q.increase.requests).toMatch(/^sum\(increase\(istio_requests_total\{.*\}\[90s\]\)\)$/);
    expect(rangeSeconds(0)).toBe('[1s]');
  });
});
