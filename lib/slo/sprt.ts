/**
 * Wald's sequential probability ratio test as a yardstick: the expected sample size (ASN) of the optimal
 * sequential test of p0 against a known p1, under p1, with error rates α = β (Wald 1945 approximation,
 * ignoring overshoot). Sequential tests that do not know p1 (our mixtures) need more; the bench reports
 * the ratio.
 */
export function binomialKl(p: number, q: number): number {
  const term = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(x / y));
  return term(p, q) + term(1 - p, 1 - q);
}

/** E[N | p1] of Wald's SPRT for H0: p = p0 vs H1: p = p1 with α = β = `alpha`. */
export function waldExpectedSamples(p0: number, p1: number, alpha: number): number {
  const a = Math.log((1 - alpha) / alpha);
  const drift = binomialKl(p1, p0);
  return ((1 - alpha) * a - alpha * a) / drift;
}
