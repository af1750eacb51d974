import { escapeLabelValue, type Matcher, rangeSeconds, selector } from './escape';

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

/** Series selectors of one version: every request, the 5xx ones, and the latency histogram's buckets. */
export function versionSelectors(t: VersionTarget): { requests: string; errors: string; buckets: string } {
  const m = baseMatchers(t);
  const code = t.metrics === 'istio' ? 'response_code' : 'code';
  const counter = t.metrics === 'istio' ? 'istio_requests_total' : 'http_requests_total';
  const bucket =
    t.metrics === 'istio'
      ? 'istio_request_duration_milliseconds_bucket'
      : 'http_request_duration_seconds_bucket';
  return {
    requests: `${counter}${selector(m)}`,
    errors: `${counter}${selector({ ...m, [code]: { op: '=~', value: '5..' } })}`,
    buckets: `${bucket}${selector(m)}`,
  };
}

export function versionQueries(t: VersionTarget, windowSeconds: number): VersionQueries {
  const range = rangeSeconds(windowSeconds);
  const { requests: all, errors: errs, buckets } = versionSelectors(t);
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

/**
 * Labels of one source process (one scrape target: an Envoy proxy, a webapp pod). All series of a process reset
 * together when it restarts, so counters are summed per process and their increases taken per process.
 */
export const PROCESS_LABELS = ['job', 'instance', 'pod'] as const;
/** Label the grid queries add: which version (`role`) and which counter (`kind`) a series is. */
export const ROLE_LABEL = 'role';
export const KIND_LABEL = 'kind';

export type GridRole = 'canary' | 'stable' | 'version';
/** Counter kinds in both grid queries; the instant query adds `newest` and `seen` (timestamps of raw samples). */
export type GridKind = 'requests' | 'errors' | 'bucket' | 'ts' | 'newest' | 'seen';

export interface GridQueryOptions {
  /** Grid start (unix seconds): the instant query reads each process's last values before it. */
  t0: number;
  /** How far before t0 a process's last values are looked for (seconds); default 600. */
  baselineLookbackSeconds?: number;
  /** Add the `newest` / `seen` timestamps of each version's newest raw sample; default true. */
  freshness?: boolean;
  /** How far back `seen` looks for a raw sample behind staleness markers (seconds); default 300. */
  freshnessLookbackSeconds?: number;
}

export interface GridQueries {
  /**
   * For `query_range` over the grid: per version (`role`), counter (`kind`: requests, errors, bucket with `le`) and
   * process (PROCESS_LABELS), the sum of the process's series. Raw counters, no rate: increases are taken per process
   * by lib/promql/counter-increments.ts.
   */
  range: string;
  /**
   * For an instant `query` at the window's end: per version and process, the last values before t0 (`@ t0`,
   * `last_over_time`, so a process with a failed scrape at t0 still has its baseline), and per version the timestamp
   * of the newest raw request sample: `newest` (exact, absent once the series are stale) and `seen` (the newest one
   * within the freshness lookback, behind staleness markers, to 1 s).
   */
  instant: string;
}

function tag(expr: string, labels: Record<string, string>): string {
  let out = expr;
  for (const [name, value] of Object.entries(labels))
    out = `label_replace(${out}, "${name}", "${escapeLabelValue(value)}", "", "")`;
  return out;
}

/**
 * One range query and one instant query that read every counter of several versions (canary and stable) per source
 * process, in one round trip each. Label values are escaped (lib/promql/escape.ts).
 */
export function gridQueries(
  versions: ReadonlyArray<{ role: GridRole; target: VersionTarget }>,
  opts: GridQueryOptions,
): GridQueries {
  if (!Number.isFinite(opts.t0)) throw new Error(`invalid grid start: ${opts.t0}`);
  const by = PROCESS_LABELS.join(', ');
  const baseRange = rangeSeconds(opts.baselineLookbackSeconds ?? 600);
  const fresh = Math.max(1, Math.round(opts.freshnessLookbackSeconds ?? 300));
  const at = `@ ${opts.t0.toFixed(3)}`;
  const range: string[] = [];
  const instant: string[] = [];
  for (const { role, target } of versions) {
    const sel = versionSelectors(target);
    const counters = [
      { kind: 'requests', sel: sel.requests, by },
      { kind: 'errors', sel: sel.errors, by },
      { kind: 'bucket', sel: sel.buckets, by: `${by}, le` },
    ];
    for (const c of counters) {
      const labels = { [KIND_LABEL]: c.kind, [ROLE_LABEL]: role };
      range.push(tag(`sum by (${c.by}) (${c.sel})`, labels));
      instant.push(tag(`sum by (${c.by}) (last_over_time(${c.sel}${baseRange} ${at}))`, labels));
    }
    // per process, the time of the raw sample behind each grid point: evidence starts at a process's first sample
    // taken at or after `since`, so requests served before it (another revision's, on a shared service) never count
    range.push(
      tag(`max by (${by}) (timestamp(${sel.requests}))`, { [KIND_LABEL]: 'ts', [ROLE_LABEL]: role }),
    );
    if (opts.freshness ?? true) {
      instant.push(tag(`max(timestamp(${sel.requests}))`, { [KIND_LABEL]: 'newest', [ROLE_LABEL]: role }));
      instant.push(
        tag(`max(max_over_time(timestamp(${sel.requests})[${fresh}s:1s]))`, {
          [KIND_LABEL]: 'seen',
          [ROLE_LABEL]: role,
        }),
      );
    }
  }
  return { range: range.join(' or '), instant: instant.join(' or ') };
}

/** Seconds per unit of the `le` label: Istio's histogram is in milliseconds, the webapp's in seconds. */
export function bucketUnitSeconds(t: VersionTarget): number {
  return t.metrics === 'istio' ? 0.001 : 1;
}
