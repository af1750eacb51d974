import type { LatencyStats } from './types';

/**
 * Nearest-rank percentile of an ascending-sorted array: the smallest sample such that at least
 * p % of the samples are <= it. Exact (no interpolation, no histogram buckets).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  if (p >= 100) return sorted[n - 1] as number;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1] as number;
}

/** Growable float64 buffer for latency samples (ms). */
export class Samples {
  private buf: Float64Array;
  private n = 0;

  constructor(initial = 1024) {
    this.buf = new Float64Array(initial);
  }

  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }

  get length(): number {
    return this.n;
  }

  /** A sorted copy of the samples. */
  sorted(): Float64Array {
    return this.buf.slice(0, this.n).sort();
  }
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Latency summary of samples in ms, rounded to µs; null when there are none. */
export function latencyStats(samples: Samples | readonly number[]): LatencyStats | null {
  const sorted = samples instanceof Samples ? samples.sorted() : Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  return {
    min: round3(sorted[0] as number),
    mean: round3(sum / n),
    p50: round3(percentile(sorted, 50)),
    p90: round3(percentile(sorted, 90)),
    p95: round3(percentile(sorted, 95)),
    p99: round3(percentile(sorted, 99)),
    max: round3(sorted[n - 1] as number),
  };
}

export function increment(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** Sort a count map by key (numeric keys numerically) for stable output. */
export function sortedCounts(map: Record<string, number>): Record<string, number> {
  const keys = Object.keys(map).sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = map[k] ?? 0;
  return out;
}
