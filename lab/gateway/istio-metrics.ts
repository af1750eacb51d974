/**
 * Istio-standard request metrics in the Prometheus text format (no client library needed), as the ingress gateway's
 * Envoy prints them: istio_requests_total and istio_request_duration_milliseconds, whose buckets are Envoy's defaults
 * (no 300 ms) unless the gateway's pod carries `sidecar.istio.io/statsHistogramBuckets` (istio-buckets.ts). Bucket
 * counting and `le` formatting follow Envoy exactly: see envoy-histogram.ts.
 */
import { ENVOY_DEFAULT_BUCKETS, EnvoyHistogram, formatG32 } from './envoy-histogram';

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
  /** istio_requests_total */
  count: number;
  /** istio_request_duration_milliseconds */
  histogram: EnvoyHistogram;
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

/** The label values in a fixed order: the cheap per-request key of a series. */
function valuesKey(l: RequestLabels): string {
  return `${l.destination_service_name}\u0000${l.destination_service_namespace}\u0000${l.destination_workload}\u0000${l.destination_workload_namespace}\u0000${l.destination_version}\u0000${l.destination_canonical_service}\u0000${l.destination_app}\u0000${l.response_code}\u0000${l.response_flags}`;
}

export class IstioMetrics {
  /** By rendered label text (what Prometheus sees). */
  private readonly series = new Map<string, Series>();
  /** The same series by `valuesKey`, so a request does not render and sort its labels again. */
  private readonly byValues = new Map<string, Series>();

  /** @param buckets the histogram's bucket bounds, ascending (Envoy's defaults unless the annotation says otherwise) */
  constructor(readonly buckets: readonly number[] = ENVOY_DEFAULT_BUCKETS) {}

  observe(labels: RequestLabels, durationMs: number): void {
    const key = valuesKey(labels);
    let s = this.byValues.get(key);
    if (!s) {
      s = this.seriesFor(labels);
      this.byValues.set(key, s);
    }
    s.count++;
    s.histogram.record(durationMs);
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
      s = { labels: text, count: 0, histogram: new EnvoyHistogram() };
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
    const les = this.buckets.map(formatG32);
    for (const s of all) {
      const { cumulative, sum } = s.histogram.statistics(this.buckets);
      les.forEach((le, i) => {
        out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="${le}"} ${cumulative[i] ?? 0}`);
      });
      const n = s.histogram.count;
      out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="+Inf"} ${n}`);
      out.push(`istio_request_duration_milliseconds_sum{${s.labels}} ${formatG32(sum)}`);
      out.push(`istio_request_duration_milliseconds_count{${s.labels}} ${n}`);
    }
    return `${out.join('\n')}\n`;
  }
}
