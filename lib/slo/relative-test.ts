/**
 * Canary versus stable: the conditional-binomial e-process of Lindon & Malek (NeurIPS 2022, "Anytime-valid
 * inference for multinomial count data"; Netflix's canary test).
 *
 * In each window the canary serves a share ρ of the requests. If the canary's per-request error rate is θ
 * times stable's, an error belongs to the canary with probability q(θ) = ρθ / (ρθ + 1 − ρ). Conditioning on
 * the total error count removes the shared error rate, so shared incidents and traffic shifts between
 * steps cancel. The e-process is a mixture over θ of the product of per-window likelihood ratios
 * (q(θ)/ρ)^c ((1 − q(θ))/(1 − ρ))^s, which is a test supermartingale for every θ ≤ 1 (for binomial
 * counts exactly; for fixed request counts the conditional law is hypergeometric, which is smaller in the
 * convex order (Hoeffding 1963), so the expectation is still ≤ 1).
 */
import { logSumExp } from './binomial-eprocess';

export interface ThetaComponent {
  theta: number;
  weight: number;
}

export interface RelativeWindow {
  canaryErrors: number;
  stableErrors: number;
  /** Canary share of requests in the window, in (0, 1). */
  rho: number;
}

/**
 * Default mixture: equal weights on a log-spaced grid of rate ratios from 1.5× to 20×. A grid (rather than
 * a continuous prior on log θ) keeps the e-process an exact finite mixture of products, updatable in O(grid).
 */
export const DEFAULT_THETAS: readonly ThetaComponent[] = [1.5, 2, 3, 5, 10, 20].map((theta) => ({
  theta,
  weight: 1 / 6,
}));

/** ln of the per-window likelihood ratio for rate ratio θ. */
export function logWindowRatio(w: RelativeWindow, theta: number): number {
  if (w.rho <= 0 || w.rho >= 1 || w.canaryErrors + w.stableErrors === 0) return 0;
  const q = (w.rho * theta) / (w.rho * theta + 1 - w.rho);
  return w.canaryErrors * Math.log(q / w.rho) + w.stableErrors * Math.log((1 - q) / (1 - w.rho));
}

/**
 * ln E of the mixture e-process after the given windows (evidence that the canary errs more than stable).
 * `tempering` κ ∈ (0, 1] raises each likelihood ratio to the power κ: still an e-process (Jensen:
 * E[LR^κ] ≤ (E[LR])^κ = 1) but a single bursty window moves it κ times less in log scale, which buys
 * robustness to over-dispersed (bursty) errors at the price of some power.
 */
export function logRelativeEValue(
  windows: readonly RelativeWindow[],
  thetas: readonly ThetaComponent[] = DEFAULT_THETAS,
  tempering = 1,
): number {
  const terms = thetas.map((c) => {
    let sum = 0;
    for (const w of windows) sum += logWindowRatio(w, c.theta);
    return Math.log(c.weight) + tempering * sum;
  });
  return logSumExp(terms);
}

/** Rate ratio estimate (canary errors per request ÷ stable errors per request). */
export function rateRatio(
  canaryErrors: number,
  canaryRequests: number,
  stableErrors: number,
  stableRequests: number,
) {
  if (canaryRequests <= 0 || stableRequests <= 0) return null;
  const stableRate = stableErrors / stableRequests;
  const canaryRate = canaryErrors / canaryRequests;
  if (stableRate === 0) return canaryRate === 0 ? 1 : Number.POSITIVE_INFINITY;
  return canaryRate / stableRate;
}

/** Map an interval for the canary's share q of errors to one for θ at the pooled traffic share ρ. */
export function thetaFromShare(q: number, rho: number): number {
  if (q >= 1) return Number.POSITIVE_INFINITY;
  return (q * (1 - rho)) / (rho * (1 - q));
}
