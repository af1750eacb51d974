/** Default judge configuration and its resolution from partial user config. */
import { DEFAULT_BINOMIAL_DESIGN, LATENCY_BINOMIAL_DESIGN } from './binomial-eprocess';
import { DEFAULT_THETAS } from './relative-test';
import type { JudgeConfig } from './types';

/**
 * Defaults (see README-style notes in judge.ts):
 * - α = 1 % family-wise false ROLLBACK, split per SLO (Bonferroni): α/4 each for success rate, error rate,
 *   P95 and canary-vs-stable. Success rate and error rate are tested by the same e-process on the same 5xx
 *   count (same p0 by default), so that one test carries both shares: α/2 for errors, α/4 for latency, α/4
 *   for canary-vs-stable (weights 2 : 1 : 1). With the earlier equal thirds the error test had α/3, and
 *   even Wald's SPRT knowing p1 = 5 % rolled back a 5 % error canary at 50 rps (5 canary rps, 15 s scrapes)
 *   by the 2nd scrape in only 50.5 % of runs (63.8 % at the full α); see the sprt-oracle rows of the bench.
 * - alphaPromote = 5 %: probability of promoting a canary sitting exactly on an SLO boundary. Promotion
 *   needs every promote test to cross (intersection-union test), so no split is needed; a canary at 2× the
 *   error budget is promoted far less often (≤ 1 % in the bench). At 1 % the oracle SPRT alone would need
 *   ~950 clean requests to promote a 0.2 %-error canary, i.e. > 3 min at 5 rps.
 * - minCanaryRequests = 100: below that the e-processes cannot cross for p0 = 1 % anyway; the floor
 *   protects the latency test (p0 = 5 %, which can cross after ~60 fast requests) from promoting on a
 *   handful of early requests.
 * - minCanaryRequests and minStepSeconds = 30 apply per step: PROMOTE at a step needs that much fresh traffic and
 *   time at the step's weight (cold caches, slow leaks and load-dependent regressions show only after a while).
 * - pooledRollbackWeight = 0.85: the rollback e-value puts 0.85 on everything the revision served and 0.15 on per-step
 *   e-processes (phases.ts); at the first step this raises the bar on the pooled e-value by 1/0.875 ≈ 1.14× (with ⅔
 *   it was 1.4×, ~0.2 nats or ~1.5 s more to roll back 5 % errors at 50 rps). Per-step terms only speed up rollback of
 *   a regression that appears at a later weight: promotion at that weight is blocked by the per-step promote tests.
 * - stalenessSeconds = 60: four 15 s scrapes.
 * - relativeTempering = 0.5: the canary-vs-stable likelihood ratios are raised to the power ½. Errors that
 *   come in bursts independently per version violate the test's Poisson model; in the bench (3 % of windows
 *   ×10 per version) κ = 1 gave 3.3 % false rollbacks at 200 rps, κ = ½ gives 0.7 %, at the cost of
 *   detecting a 0.1 % → 0.5 % relative regression less often before the canary is promoted.
 * - incidentPValue = 1e-4: a window where stable's own errors are that unlikely under the SLO is a shared
 *   incident; it is excluded from the absolute tests (the choice depends on stable's data only, so the
 *   canary's e-processes stay valid).
 */
export const DEFAULT_JUDGE_CONFIG: JudgeConfig = {
  successRateMin: 0.99,
  errorRateMax: 0.01,
  p95MaxMs: 300,
  latencyQuantile: 0.95,
  alpha: 0.01,
  alphaPromote: 0.05,
  alphaWeights: { errors: 2, latency: 1, relative: 1 },
  minCanaryRequests: 100,
  minStepSeconds: 30,
  pooledRollbackWeight: 0.85,
  stalenessSeconds: 60,
  incidentPValue: 1e-4,
  binomialDesign: DEFAULT_BINOMIAL_DESIGN,
  latencyDesign: LATENCY_BINOMIAL_DESIGN,
  relativeThetas: DEFAULT_THETAS,
  relativeTempering: 0.5,
  displayConfidence: 0.95,
};

export function resolveConfig(config: Partial<JudgeConfig> = {}): JudgeConfig {
  const merged: JudgeConfig = { ...DEFAULT_JUDGE_CONFIG, ...config };
  const problems: string[] = [];
  if (!(merged.alpha > 0 && merged.alpha < 1)) problems.push('alpha must be in (0, 1)');
  if (!(merged.alphaPromote > 0 && merged.alphaPromote < 1)) problems.push('alphaPromote must be in (0, 1)');
  if (!(merged.successRateMin > 0 && merged.successRateMin < 1))
    problems.push('successRateMin must be in (0, 1)');
  if (!(merged.errorRateMax > 0 && merged.errorRateMax < 1)) problems.push('errorRateMax must be in (0, 1)');
  if (!(merged.latencyQuantile > 0 && merged.latencyQuantile < 1))
    problems.push('latencyQuantile must be in (0, 1)');
  if (!(merged.p95MaxMs > 0)) problems.push('p95MaxMs must be > 0');
  if (!(merged.minStepSeconds >= 0)) problems.push('minStepSeconds must be ≥ 0');
  if (!(merged.minCanaryRequests >= 0)) problems.push('minCanaryRequests must be ≥ 0');
  if (!(merged.pooledRollbackWeight > 0 && merged.pooledRollbackWeight <= 1))
    problems.push('pooledRollbackWeight must be in (0, 1]');
  if (!(merged.relativeTempering > 0 && merged.relativeTempering <= 1))
    problems.push('relativeTempering must be in (0, 1]');
  const w = merged.alphaWeights;
  if (!(w.errors > 0 && w.latency > 0 && w.relative >= 0)) problems.push('alphaWeights must be positive');
  if (problems.length > 0) throw new RangeError(`invalid judge config: ${problems.join('; ')}`);
  return merged;
}

/** Per-test rollback α after the Bonferroni split. */
export function rollbackAlphas(config: JudgeConfig) {
  const w = config.alphaWeights;
  const total = w.errors + w.latency + w.relative;
  return {
    errors: (config.alpha * w.errors) / total,
    latency: (config.alpha * w.latency) / total,
    relative: (config.alpha * w.relative) / total,
  };
}
