/**
 * Istio's request-duration histogram and the simulated latency distribution.
 *
 * Istio does not set `istio_request_duration_milliseconds` buckets itself: the stats filter records into Envoy's
 * histogram with Envoy's default `supported_histogram_buckets` (0.5 … 3,600,000 ms), so there is no 300 ms boundary.
 * The `sidecar.istio.io/statsHistogramBuckets` annotation replaces the list; the deployed manifests add 300 to it.
 * When lab/gateway/istio-metrics.ts exports the default list, the bench takes it from there.
 */
import { normalCdf } from './random';

/** Envoy's default histogram buckets (ms), which Istio's request duration uses unless annotated. */
export const ISTIO_DEFAULT_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

/** The default list with 300 ms added, as the annotation on the ingress gateway does it. */
export const ISTIO_ANNOTATED_BUCKETS_MS: readonly number[] = [...ISTIO_DEFAULT_BUCKETS_MS, 300].sort(
  (a, b) => a - b,
);

export type BucketSet = 'istio-default' | 'istio-annotated';

export function bucketsOf(set: BucketSet): readonly number[] {
  return set === 'istio-default' ? ISTIO_DEFAULT_BUCKETS_MS : ISTIO_ANNOTATED_BUCKETS_MS;
}

/** Lognormal σ of the simulated latency (the median is P95 / e^(1.645·σ)). */
export const LATENCY_SIGMA = 0.5;
const Z95 = 1.6448536269514722;

/** P(latency ≤ ms) for a lognormal with the given P95. */
export function latencyCdf(p95Ms: number, ms: number): number {
  if (ms <= 0) return 0;
  const median = p95Ms / Math.exp(Z95 * LATENCY_SIGMA);
  return normalCdf(Math.log(ms / median) / LATENCY_SIGMA);
}

/** Share of requests slower than `ms`. */
export function slowShareAt(p95Ms: number, ms: number): number {
  return 1 - latencyCdf(p95Ms, ms);
}

/** Probability of each bucket (le_{i−1}, le_i], then the +Inf overflow: length bounds.length + 1. */
export function bucketProbabilities(p95Ms: number, boundsMs: readonly number[]): Float64Array {
  const out = new Float64Array(boundsMs.length + 1);
  let prev = 0;
  boundsMs.forEach((b, i) => {
    const c = latencyCdf(p95Ms, b);
    out[i] = Math.max(0, c - prev);
    prev = c;
  });
  out[boundsMs.length] = Math.max(0, 1 - prev);
  return out;
}
