import { percentile } from '../../loadgen/src/stats';

/** The arithmetic mean of some durations (ms); 0 for none. */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Nearest-rank p50 / p95 and the maximum of some durations (ms). */
export function summary(xs: number[]): { p50Ms: number; p95Ms: number; maxMs: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50Ms: percentile(s, 50), p95Ms: percentile(s, 95), maxMs: s[s.length - 1] ?? Number.NaN };
}
