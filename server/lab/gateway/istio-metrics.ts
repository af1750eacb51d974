/** Istio-standard request metrics in the Prometheus text format (no client library needed). */

export const DURATION_BUCKETS_MS = [
  1, 5, 10, 25, 50, 100, 250, 300, 500, 1000, 2500, 5000, 10000, 30000, 60000,
];

export interface RequestLabels {
  destination_service_name: string;
  destination_service_namespace: string;
  destination_workload: string;
  destination_workload_namespace: string;
  destination_version: string;
  destination_canonical_service: string;
  destination_app: string;
  response_code: string;
  response_flags: string;
}

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[]; // per bucket (non-cumulative), last = +Inf
}

const FIXED: Record<string, string> = {
  reporter: 'source',
  source_workload: 'istio-ingressgateway',
  source_workload_namespace: 'istio-system',
  source_canonical_service: 'istio-ingressgateway',
  source_app: 'istio-ingressgateway',
  request_protocol: 'http',
  connection_security_policy: 'unknown',
};

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Index of the smallest bucket whose upper bound (le) holds `ms`; DURATION_BUCKETS_MS.length = +Inf. */
export function bucketIndex(ms: number): number {
  const i = DURATION_BUCKETS_MS.findIndex((le) => ms <= le);
  return i < 0 ? DURATION_BUCKETS_MS.length : i;
}

/** The label values in a fixed order: the cheap per-request key of a series. */
function valuesKey(l: RequestLabels): string {
  return `${l.destination_service_name}\u0000${l.destination_service_namespace}\u0000${l.destination_workload}\u0000${l.destination_workload_namespace}\u0000${l.destination_version}\u0000${l.destination_canonical_service}\u0000${l.destination_app}\u0000${l.response_code}\u0000${l.response_flags}`;
}

export class IstioMetrics {
  /** By rendered label text (what Prometheus sees). */
  private readonly series = new Map<string, Series>();
  /** The same series by `valuesKey`, so a request does not render and sort its labels again. */
  private readonly byValues = new Map<string, Series>();

  observe(labels: RequestLabels, durationMs: number): void {
    const key = valuesKey(labels);
    let s = this.byValues.get(key);
    if (!s) {
      s = this.seriesFor(labels);
      this.byValues.set(key, s);
    }
    s.count++;
    s.sum += durationMs;
    const b = bucketIndex(durationMs);
    s.buckets[b] = (s.buckets[b] ?? 0) + 1;
  }

  private seriesFor(labels: RequestLabels): Series {
    const all: Record<string, string> = {
      ...FIXED,
      ...labels,
      destination_service: `${labels.destination_service_name}.${labels.destination_service_namespace}.svc.cluster.local`,
      destination_canonical_revision: labels.destination_version,
    };
    const text = Object.keys(all)
      .sort()
      .map((k) => `${k}="${escapeLabel(all[k] ?? '')}"`)
      .join(',');
    let s = this.series.get(text);
    if (!s) {
      s = { labels: text, count: 0, sum: 0, buckets: new Array(DURATION_BUCKETS_MS.length + 1).fill(0) };
      this.series.set(text, s);
    }
    return s;
  }

  render(): string {
    const out: string[] = [
      '# HELP istio_requests_total Total requests seen by the ingress gateway.',
      '# TYPE istio_requests_total counter',
    ];
    const all = [...this.series.values()];
    for (const s of all) out.push(`istio_requests_total{${s.labels}} ${s.count}`);
    out.push(
      '# HELP istio_request_duration_milliseconds Request duration at the ingress gateway.',
      '# TYPE istio_request_duration_milliseconds histogram',
    );
    for (const s of all) {
      let cum = 0;
      DURATION_BUCKETS_MS.forEach((le, i) => {
        cum += s.buckets[i] ?? 0;
        out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="${le}"} ${cum}`);
      });
      out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`istio_request_duration_milliseconds_sum{${s.labels}} ${s.sum}`);
      out.push(`istio_request_duration_milliseconds_count{${s.labels}} ${s.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}
