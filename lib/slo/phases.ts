/**
 * Evidence over attempts and steps.
 *
 * ROLLBACK: one e-value per test, a fixed convex combination of e-processes that start at different stopping times:
 *
 *   E↑ = w·E↑(everything this hash served at this revision, all attempts)
 *        + Σ_{attempt j, step k} π_jk·E↑(data since step k of attempt j)  (1 before that step starts)
 *
 * with w = pooledRollbackWeight and π_jk = (1 − w)·2^−j / S (S analysis steps per attempt). Each term is a test
 * supermartingale from its own start (a step start is a stopping time: the controller sets it from the past), the
 * weights sum to 1, so E↑ is one and P(E↑ ever ≥ 1/α) ≤ α (Ville). The pooled term keeps everything seen for this
 * revision, so a retry never throws rollback evidence away; the per-step terms catch a regression that only shows at a
 * higher weight without being diluted by the clean traffic of earlier steps. At the first step of the first attempt
 * the pooled and step-1 terms coincide: the threshold costs a factor 1/(w + π_11) ≈ 1.14 on the pooled e-value (w = 0.85, S = 3).
 *
 * PROMOTE: the promote tests use only the windows after the current step started (fresh evidence at this weight),
 * need minStepSeconds and minCanaryRequests at the step, and spend α_P over attempts: attempt j promotes at
 * 1/(α_P·2^−(j−1)), so "retry until it passes" cannot buy a fresh α_P each time (all attempts together ≤ 2·α_P; the
 * first attempt alone ≤ α_P). Promotion needs every step's promote test to pass (intersection-union), so no split
 * across steps is needed.
 */
import type { AttemptPhases } from './types';

/** Window boundaries and step starts may differ by clock rounding; a window starting this close counts as after. */
const START_TOLERANCE_SECONDS = 1;

export interface RollbackComponent {
  /** Windows starting at or after this time feed the component (−∞: every window). */
  start: number;
  weight: number;
}

export interface Phases {
  /** Started components; their weights plus `idleWeight` sum to 1. */
  components: RollbackComponent[];
  /** Weight of components whose step has not started yet (their e-value is 1). */
  idleWeight: number;
  /** Promote windows start at or after this time. */
  stepStart: number;
  attempt: number;
  /** α_P spent by this attempt. */
  alphaPromote: number;
}

export const DEFAULT_STEPS_PER_ATTEMPT = 3;

export function phasesOf(
  attempt: AttemptPhases | undefined,
  now: number,
  alphaPromote: number,
  pooledWeight: number,
): Phases {
  if (!attempt || attempt.stepStarts.length === 0) {
    return {
      components: [{ start: Number.NEGATIVE_INFINITY, weight: 1 }],
      idleWeight: 0,
      stepStart: Number.NEGATIVE_INFINITY,
      attempt: attempt?.number ?? 1,
      alphaPromote: alphaPromote * 2 ** -((attempt?.number ?? 1) - 1),
    };
  }
  const steps = Math.max(1, attempt.stepsPerAttempt ?? DEFAULT_STEPS_PER_ATTEMPT);
  const components: RollbackComponent[] = [{ start: Number.NEGATIVE_INFINITY, weight: pooledWeight }];
  const perAttemptSeen = new Map<number, number>();
  let used = pooledWeight;
  for (const s of attempt.stepStarts) {
    if (s.start > now) continue;
    const j = Math.max(1, Math.floor(s.attempt));
    const seen = perAttemptSeen.get(j) ?? 0;
    if (seen >= steps) continue; // more step starts than the strategy has: no weight left for them
    perAttemptSeen.set(j, seen + 1);
    const weight = ((1 - pooledWeight) * 2 ** -j) / steps;
    components.push({ start: s.start - START_TOLERANCE_SECONDS, weight });
    used += weight;
  }
  const current = attempt.stepStarts.at(-1);
  const number = Math.max(1, Math.floor(attempt.number));
  return {
    components,
    idleWeight: Math.max(0, 1 - used),
    stepStart: (current?.start ?? attempt.start) - START_TOLERANCE_SECONDS,
    attempt: number,
    alphaPromote: alphaPromote * 2 ** -(number - 1),
  };
}
