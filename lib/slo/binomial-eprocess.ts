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
 * Point-alternative SPRT likelihood ratios (p1 = c·p0) are also test supermartingales; E↑ is an average of a
 * geometric grid of them (a convex combination of e-processes is an e-process). Everything is computed in log space.
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
 * E↑ shape: an equal-weight mixture of Wald likelihood ratios at `points` multiples of p0 spaced geometrically from
 * `low` to `high` (a log-uniform prior over the regressions worth catching). Each is a test supermartingale, so their
 * average is one. For a regression between two grid points both neighbours contribute; against the SPRT told the true
 * rate this costs about ln(points) nats of the threshold, plus the mismatch to the nearest point.
 */
export function geometricUpDesign(low: number, high: number, points: number): SideDesign {
  const sprt = Array.from({ length: points }, (_, i) => ({
    multiple: low * (high / low) ** (i / (points - 1)),
    weight: 1 / points,
  }));
  return { priorA: 2, meanMultiple: 3, mixtureWeight: 0, sprt };
}

/** E↓: Beta(1, ·) with mean 0.3·p0 restricted to p < p0, peaked at p = 0 where healthy versions live. */
const DOWN_DESIGN: SideDesign = { priorA: 1, meanMultiple: 0.3, mixtureWeight: 1, sprt: [] };

/**
 * Error SLO design (p0 = 1 %): E↑ on six SPRTs from 1.5·p0 to 20·p0 (1.5, 2.5, 4.2, 7.1, 11.9, 20), the range a
 * rollback must cover. The earlier design put 0.8 of the weight on 5·p0 (fastest exactly there, but 1.9× the
 * requests of the oracle SPRT at 1.5·p0 and 1.65× at 20·p0); the flat grid stays within ~1.3× of the oracle from
 * 1.5·p0 to 20·p0 and pays ~10 % more requests at 5·p0 (per-request simulation, bench:judge efficiency table).
 * E↓: a clean canary is promoted after ~1.2× the requests the oracle SPRT would need.
 */
export const DEFAULT_BINOMIAL_DESIGN: BinomialDesign = {
  up: geometricUpDesign(1.5, 20, 6),
  down: DOWN_DESIGN,
};

/**
 * Latency SLO design (p0 = 5 % slow requests): the same flat grid, up to 18·p0 (90 % slow: a P95 of ~1 s), since a
 * point at 20·p0 would be p1 = 100 %.
 */
export const LATENCY_BINOMIAL_DESIGN: BinomialDesign = {
  up: geometricUpDesign(1.5, 18, 6),
  down: DOWN_DESIGN,
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
