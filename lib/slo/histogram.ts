/**
 * Latency SLO from Prometheus histograms. "P95 ≤ 300 ms" ⇔ "P(latency > 300 ms) ≤ 5 %", so the latency SLO
 * is a binomial test on the slow count `_count − _bucket{le="0.3"}`. When 0.3 is not a bucket boundary the
 * slow count is bracketed by the neighbouring boundaries.
 */
import type { Interval } from './intervals';
import { binomialQuantile } from './primitives';
import type { LatencyBucket } from './types';

const BOUNDARY_TOLERANCE = 1e-9;

export interface SlowCount {
  total: number;
  /** Lower bound of the number of requests slower than the threshold (= upper neighbour's tail). */
  low: number;
  /** Upper bound (= lower neighbour's tail). Equal to `low` when the threshold is a boundary. */
  high: number;
  exact: boolean;
}

export function sortedBuckets(buckets: readonly LatencyBucket[]): LatencyBucket[] {
  return [...buckets].sort((x, y) => x.le - y.le);
}

/** Histogram total: the +Inf bucket when present, else `fallback`. */
export function histogramTotal(buckets: readonly LatencyBucket[], fallback: number): number {
  const inf = buckets.find((b) => b.le === Number.POSITIVE_INFINITY);
  return inf ? inf.count : fallback;
}

export function slowCount(
  buckets: readonly LatencyBucket[],
  thresholdSeconds: number,
  fallbackTotal: number,
): SlowCount {
  const total = histogramTotal(buckets, fallbackTotal);
  const finite = sortedBuckets(buckets).filter((b) => Number.isFinite(b.le));
  const match = finite.find(
    (b) => Math.abs(b.le - thresholdSeconds) <= BOUNDARY_TOLERANCE * Math.max(1, thresholdSeconds),
  );
  if (match) {
    const slow = total - match.count;
    return { total, low: slow, high: slow, exact: true };
  }
  const lower = finite.filter((b) => b.le < thresholdSeconds).at(-1);
  const upper = finite.find((b) => b.le > thresholdSeconds);
  return {
    total,
    high: lower ? total - lower.count : total,
    low: upper ? total - upper.count : 0,
    exact: false,
  };
}

/** Bucket edges (lower, upper] holding the r-th smallest observation (1-based rank). */
function bucketOfRank(sorted: readonly LatencyBucket[], rank: number): Interval {
  let lower = 0;
  for (const b of sorted) {
    if (b.count >= rank) return [lower, b.le];
    lower = b.le;
  }
  return [lower, Number.POSITIVE_INFINITY];
}

/** Quantile estimate with linear interpolation inside the bucket, like PromQL `histogram_quantile`. */
export function histogramQuantile(
  buckets: readonly LatencyBucket[],
  q: number,
  total: number,
): number | null {
  if (total <= 0) return null;
  const sorted = sortedBuckets(buckets);
  const rank = q * total;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return lowerLe;
      const inBucket = b.count - lowerCount;
      return inBucket <= 0 ? b.le : lowerLe + ((b.le - lowerLe) * (rank - lowerCount)) / inBucket;
    }
    lowerLe = b.le;
    lowerCount = b.count;
  }
  return lowerLe;
}

/**
 * Distribution-free confidence interval for the q-quantile from binomial order statistics: with n
 * observations, [X_(l), X_(u)] covers the quantile with probability ≥ confidence for
 * l = Binom⁻¹(α/2; n, q) and u = Binom⁻¹(1 − α/2; n, q) + 1. Ranks are mapped to bucket edges, so the
 * interval also absorbs the bucket resolution.
 */
export function quantileInterval(
  buckets: readonly LatencyBucket[],
  q: number,
  total: number,
  confidence = 0.95,
): Interval | null {
  if (total <= 0) return null;
  const tail = (1 - confidence) / 2;
  const sorted = sortedBuckets(buckets);
  const l = binomialQuantile(tail, total, q);
  const u = binomialQuantile(1 - tail, total, q) + 1;
  const lo = l <= 0 ? 0 : bucketOfRank(sorted, l)[0];
  const hi = u > total ? Number.POSITIVE_INFINITY : bucketOfRank(sorted, u)[1];
  return [lo, hi];
}
