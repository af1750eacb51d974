import { type Matcher, rangeSeconds, selector } from './escape';

/** Which metrics describe one version of a rollout. */
export type VersionTarget =
  | { metrics: 'istio'; namespace: string; service: string }
  | { metrics: 'webapp'; namespace?: string; version: string; route?: string };

/** Instant queries for one version: counter totals (evaluate at two times and subtract) and a reset detector. */
export interface VersionQueries {
  requests: string;
  errors: string;
  /** Cumulative latency buckets, one series per `le` (unit: see bucketUnitSeconds). */
  buckets: string;
  /** Counter resets in the window: when > 0, use the increase() forms instead of subtracting totals. */
  resets: string;
  increase: { requests: string; errors: string; buckets: string };
}

function baseMatchers(t: VersionTarget): Record<string, Matcher> {
  if (t.metrics === 'istio') {
    return {
      reporter: 'source',
      destination_service_namespace: t.namespace,
      destination_service_name: t.service,
    };
  }
  return {
    version: t.version,
    route: t.route ?? '/api/work',
    ...(t.namespace ? { namespace: t.namespace } : {}),
  };
}

export function versionQueries(t: VersionTarget, windowSeconds: number): VersionQueries {
  const range = rangeSeconds(windowSeconds);
  const m = baseMatchers(t);
  const code = t.metrics === 'istio' ? 'response_code' : 'code';
  const counter = t.metrics === 'istio' ? 'istio_requests_total' : 'http_requests_total';
  const bucket =
    t.metrics === 'istio'
      ? 'istio_request_duration_milliseconds_bucket'
      : 'http_request_duration_seconds_bucket';
  const all = `${counter}${selector(m)}`;
  const errs = `${counter}${selector({ ...m, [code]: { op: '=~', value: '5..' } })}`;
  const buckets = `${bucket}${selector(m)}`;
  return {
    requests: `sum(${all})`,
    errors: `sum(${errs})`,
    buckets: `sum by (le) (${buckets})`,
    resets: `sum(resets(${all}${range}))`,
    increase: {
      requests: `sum(increase(${all}${range}))`,
      errors: `sum(increase(${errs}${range}))`,
      buckets: `sum by (le) (increase(${buckets}${range}))`,
    },
  };
}

/** Seconds per unit of the `le` label: Istio's histogram is in milliseconds, the webapp's in seconds. */
export function bucketUnitSeconds(t: VersionTarget): number {
  return t.metrics === 'istio' ? 0.001 : 1;
}
