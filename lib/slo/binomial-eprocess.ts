/**
 * Anytime-valid one-sided tests for a binomial rate: is p above or below p0?
 *
 * E↑ (evidence p > p0, used for ROLLBACK) and E↓ (evidence p < p0, used for PROMOTE) are mixture
 * likelihood ratios (Howard, Ramdas, McAuliffe & Sekhon 2021, "Time-uniform, nonparametric, nonasymptotic
 * confidence sequences", §3; `BetaBinomialMixture` in the confseq library):
 *
 *   E(k, n) = ∫ (p/p0)^k ((1−p)/(1−p0))^(n−k) dπ(p),   π = Beta(a, b) restricted to the side, renormalised
 *           = B(a+k, b+n−k)/B(a, b) · p0^−k (1−p0)^−(n−k) · T(a+k, b+n−k) / T(a, b)
 *
 * with T the prior/posterior mass on the side (upper tail of I_{p0} for E↑, lower tail for E↓). Each
 * integrand is a nonnegative supermartingale under every p on the null side, so the mixture is too, and
 * Ville's inequality gives P(sup_n E_n ≥ 1/α) ≤ α: checking after every request or scrape is free.
 *
 * Point-alternative SPRT likelihood ratios (p1 = c·p0) are also test supermartingales; we average them
 * with the mixture (a convex combination of e-processes is an e-process) as a fast path for large
 * regressions. Everything is computed in log space.
 */
import { logBeta, logRegIncBeta } from './primitives';

export interface BetaPrior {
  a: number;
  b: number;
}

export type Side = 'up' | 'down';

/** ln E of the one-sided beta-binomial mixture after k events in n trials. */
export function logBetaBinomialMixture(
  k: number,
  n: number,
  p0: number,
  prior: BetaPrior,
  side: Side,
): number {
  if (n <= 0) return 0;
  const upper = side === 'up';
  const a1 = prior.a + k;
  const b1 = prior.b + n - k;
  const logPriorMass = logRegIncBeta(p0, prior.a, prior.b, upper);
  const logPostMass = logRegIncBeta(p0, a1, b1, upper);
  if (logPostMass === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const logNull = k * Math.log(p0) + (n - k) * Math.log1p(-p0);
  return logBeta(a1, b1) - logBeta(prior.a, prior.b) - logNull + logPostMass - logPriorMass;
}

/** ln of Wald's likelihood ratio for p1 against p0 after k events in n trials. */
export function logSprt(k: number, n: number, p0: number, p1: number): number {
  return k * Math.log(p1 / p0) + (n - k) * (Math.log1p(-p1) - Math.log1p(-p0));
}

/** ln(Σ exp(x_i)) without overflow. */
export function logSumExp(xs: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > max) max = x;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const x of xs) sum += Math.exp(x - max);
  return max + Math.log(sum);
}

/**
 * Shape of a one-sided test relative to p0, so the same tuning works for p0 = 1 % and p0 = 5 %.
 * The mixture prior is Beta(a, b) with mean `meanMultiple`·p0; SPRT components use p1 = m·p0.
 */
export interface SideDesign {
  priorA: number;
  meanMultiple: number;
  mixtureWeight: number;
  sprt: readonly { multiple: number; weight: number }[];
}

export interface BinomialDesign {
  up: SideDesign;
  down: SideDesign;
}

/**
 * Defaults, tuned with bench/judge/tune-priors.ts (see its output in the report):
 * - E↑: Beta(2, ·) with mean 3·p0 (sd ≈ 2·p0) puts its mass on the 2–5× p0 regressions we most want to
 *   catch fast; half the weight goes to SPRTs at 2·p0 and 5·p0 (a quarter each) as a fast path for large
 *   regressions. (Shifting weight to the 5·p0 SPRT did not move the bench's 45 s median for 5 % errors at
 *   5 canary rps: with α/3 the threshold needs ≥ 8 errors in 150 requests, an integer step.)
 * - E↓: Beta(1, ·) with mean 0.3·p0 restricted to p < p0 has its density peak at p = 0, where healthy
 *   versions live (error rates far below the SLO), so a clean canary is promoted after ~1.2× the
 *   requests the oracle SPRT would need.
 */
export const DEFAULT_BINOMIAL_DESIGN: BinomialDesign = {
  up: {
    priorA: 2,
    meanMultiple: 3,
    mixtureWeight: 0.5,
    sprt: [
      { multiple: 2, weight: 0.25 },
      { multiple: 5, weight: 0.25 },
    ],
  },
  down: { priorA: 1, meanMultiple: 0.3, mixtureWeight: 1, sprt: [] },
};

export function priorFor(p0: number, side: SideDesign): BetaPrior {
  const mean = Math.min(side.meanMultiple * p0, 0.999);
  return { a: side.priorA, b: (side.priorA * (1 - mean)) / mean };
}

/** ln E for one side of the design: log of the weighted average of the mixture and the SPRT components. */
export function logEValue(k: number, n: number, p0: number, design: SideDesign, side: Side): number {
  if (n <= 0) return 0;
  const terms: number[] = [];
  if (design.mixtureWeight > 0) {
    terms.push(Math.log(design.mixtureWeight) + logBetaBinomialMixture(k, n, p0, priorFor(p0, design), side));
  }
  for (const c of design.sprt) {
    const p1 = Math.min(Math.max(c.multiple * p0, 1e-12), 1 - 1e-12);
    terms.push(Math.log(c.weight) + logSprt(k, n, p0, p1));
  }
  return logSumExp(terms);
}

export interface BinomialEvidence {
  /** ln E↑: evidence that p > p0. */
  logUp: number;
  /** ln E↓: evidence that p < p0. */
  logDown: number;
}

export function binomialEvidence(
  k: number,
  n: number,
  p0: number,
  design: BinomialDesign = DEFAULT_BINOMIAL_DESIGN,
): BinomialEvidence {
  return { logUp: logEValue(k, n, p0, design.up, 'up'), logDown: logEValue(k, n, p0, design.down, 'down') };
}
