/**
 * Numerical primitives for the SLO judge.
 *
 * We wrap @stdlib rather than hand-rolling or using jstat: stdlib's gammaln / betainc / betaincinv are
 * ports of the Boost.Math algorithms and agree with scipy.special to ~1e-14 relative error, including
 * the separately computed upper tail (1 - I_x(a,b) without cancellation). jstat's `ibeta` stops its
 * continued fraction at ~3e-7, which is not enough for e-values that live in log space far in the tails.
 */
import betainc from '@stdlib/math-base-special-betainc';
import betaincinv from '@stdlib/math-base-special-betaincinv';
import gammaln from '@stdlib/math-base-special-gammaln';
import betaCdfImpl from '@stdlib/stats-base-dists-beta-cdf';
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf';

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  return gammaln(x);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}

/**
 * Regularized incomplete beta I_x(a, b); with `upper` the complement 1 − I_x(a, b), computed directly
 * (no cancellation), which is what the one-sided mixtures need.
 */
export function regIncBeta(x: number, a: number, b: number, upper = false): number {
  if (x <= 0) return upper ? 1 : 0;
  if (x >= 1) return upper ? 0 : 1;
  return betainc(x, a, b, true, upper);
}

/** ln of `regIncBeta`; −Infinity when the tail underflows. */
export function logRegIncBeta(x: number, a: number, b: number, upper = false): number {
  return Math.log(regIncBeta(x, a, b, upper));
}

/** Inverse of the regularized incomplete beta: x such that I_x(a, b) = p. */
export function regIncBetaInv(p: number, a: number, b: number): number {
  return betaincinv(p, a, b);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return binomialCdfImpl(Math.floor(k), n, p);
}

/** P(X ≥ k) for X ~ Binomial(n, p), via I_p(k, n − k + 1) (accurate in the far tail). */
export function binomialSf(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return regIncBeta(p, k, n - k + 1);
}

/** P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  return betaCdfImpl(x, a, b);
}

/** P(X > x) for X ~ Beta(a, b), upper tail computed directly. */
export function betaSf(x: number, a: number, b: number): number {
  return regIncBeta(x, a, b, true);
}

/**
 * Smallest k with P(X ≤ k) ≥ q for X ~ Binomial(n, p) (the q-quantile), by bisection on the CDF.
 */
export function binomialQuantile(q: number, n: number, p: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialCdf(mid, n, p) >= q) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
