/**
 * Confidence intervals for a binomial proportion — for DISPLAY only. They are fixed-n intervals, not valid
 * under continuous monitoring, so decisions never use them (the e-processes do).
 */
import { regIncBetaInv } from './primitives';

export type Interval = [number, number];

const horner = (coefs: readonly number[], x: number): number => coefs.reduce((acc, c) => acc * x + c, 0);

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1,
];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9; ample for display). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  if (p < 0.02425) {
    const t = Math.sqrt(-2 * Math.log(p));
    return horner(C, t) / horner(D, t);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / horner(B, r);
}

/** Wilson score interval for k successes in n trials at the given two-sided confidence. */
export function wilsonInterval(k: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return [0, 1];
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Clopper–Pearson ("exact") interval: beta quantiles with α/2 in each tail. */
export function clopperPearsonInterval(k: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return [0, 1];
  const tail = (1 - confidence) / 2;
  const lo = k <= 0 ? 0 : regIncBetaInv(tail, k, n - k + 1);
  const hi = k >= n ? 1 : regIncBetaInv(1 - tail, k + 1, n - k);
  return [lo, hi];
}

/** One-sided Clopper–Pearson upper bound at the given confidence (used to check simulated error rates). */
export function clopperPearsonUpper(k: number, n: number, confidence = 0.95): number {
  if (n <= 0 || k >= n) return 1;
  return regIncBetaInv(confidence, k + 1, n - k);
}
