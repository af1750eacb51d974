/**
 * The judge: combine anytime-valid SLO tests into PROMOTE / PAUSE / ROLLBACK.
 *
 * - ROLLBACK if any rollback test crosses 1/α_i, with α split across the rollback tests (Bonferroni). Each test's
 *   rollback e-value pools everything this revision served (all its attempts) and adds per-step e-processes
 *   (phases.ts), so P(false ROLLBACK at any time) ≤ α even when judged after every scrape, forever (Ville).
 *   Evidence that has crossed wins over data problems: a gap, a reset or a stale series never hides a regression.
 * - PROMOTE only if every promote test crossed 1/α_P on the windows after the current step started
 *   (intersection-union test: P(promoting a version that violates any SLO) ≤ α_P per attempt), the canary served
 *   ≥ minCanaryRequests and ≥ minStepSeconds at this step's weight, and the data passed every quality guard.
 * - PAUSE otherwise, with an estimate of the time still needed.
 */
import { resolveConfig, rollbackAlphas } from './config';
import { type EvalContext, errorSlos, isIncident, promoteRequests } from './error-slos';
import type { TestEvidence } from './evidence';
import { formatCount, formatDuration } from './explain';
import { latencySlo } from './latency-slo';
import { type Phases, phasesOf } from './phases';
import { relativeSlo } from './relative-slo';
import type { DecisionEta, JudgeConfig, JudgeInput, SloResult, StepEvidence, Verdict } from './types';
import { type PairedWindow, prepareWindows } from './windows';

export interface JudgeOptions {
  /** Compute "~N more requests to decide" hints (a few dozen extra e-value evaluations). Default true. */
  projections?: boolean;
}

function latestRate(input: JudgeInput): number | null {
  const a = input.canary.at(-2);
  const b = input.canary.at(-1);
  if (!a || !b || b.observedAt <= a.observedAt || b.requests < a.requests) return null;
  return (b.requests - a.requests) / (b.observedAt - a.observedAt);
}

function stepEvidence(
  input: JudgeInput,
  windows: readonly PairedWindow[],
  phases: Phases,
  c: JudgeConfig,
): StepEvidence | null {
  const first = windows[0];
  if (!first) return null;
  // step starts come from creationTimestamps, truncated to the second: the step surely began only by the end of that
  // second (stepStart is the start minus a 1 s tolerance), so its time at the weight is counted from there
  const start = Number.isFinite(phases.stepStart) ? phases.stepStart + 2 : first.start;
  const from = Number.isFinite(start) ? start : (input.canary[0]?.observedAt ?? input.now);
  let requests = 0;
  for (const w of windows) if (w.start >= phases.stepStart) requests += w.canary.requests;
  return {
    attempt: phases.attempt,
    start: from,
    seconds: Math.max(0, input.now - from),
    requests,
    minSeconds: c.minStepSeconds,
    minRequests: c.minCanaryRequests,
  };
}

function etaText(seconds: number | null, side: 'promote' | 'rollback'): string {
  const verb = side === 'promote' ? 'to promote' : 'to roll back';
  if (seconds === null) return `cannot estimate the time ${verb} (no current traffic rate)`;
  return `about ${formatDuration(seconds)} more at this traffic ${verb}`;
}

/** Time until PROMOTE if the observed rates hold: the slowest promote test, and the step's minimum time/requests. */
function promoteEta(
  tests: readonly TestEvidence[],
  step: StepEvidence,
  rate: number | null,
): DecisionEta | null {
  let requests = Math.max(0, step.minRequests - step.requests);
  for (const t of tests) {
    if (t.promote) continue;
    const more = promoteRequests(t);
    if (more === null) return null;
    requests = Math.max(requests, more);
  }
  const byTraffic = rate && rate > 0 ? requests / rate : requests > 0 ? null : 0;
  const seconds = byTraffic === null ? null : Math.max(byTraffic, step.minSeconds - step.seconds, 0);
  return { side: 'promote', requests: Math.ceil(requests), seconds, text: etaText(seconds, 'promote') };
}

export function judge(
  input: JudgeInput,
  config: Partial<JudgeConfig> = {},
  options: JudgeOptions = {},
): Verdict {
  const c = resolveConfig(config);
  const alphas = rollbackAlphas(c);
  const rate = latestRate(input);
  const ctx: EvalContext = { config: c, requestRate: rate, projections: options.projections ?? true };
  const phases = phasesOf(input.attempt, input.now, c.alphaPromote, c.pooledRollbackWeight);
  const firstStart = input.attempt?.stepStarts[0]?.start ?? Number.NEGATIVE_INFINITY;
  const prepared = prepareWindows(
    input.canary,
    input.stable,
    input.now,
    c.p95MaxMs / 1000,
    c.stalenessSeconds,
    Math.min(firstStart, input.attempt?.start ?? Number.POSITIVE_INFINITY),
    input.newestSampleAt,
  );
  const { windows } = prepared;
  const errors = errorSlos(windows, phases, alphas.errors, ctx);
  const latency = latencySlo(
    windows,
    phases,
    input.canary.at(-1),
    prepared.exactBoundary,
    alphas.latency,
    ctx,
  );
  const slos: SloResult[] = [...errors.slos, latency.slo];
  if (alphas.relative > 0) slos.push(relativeSlo(windows, alphas.relative, ctx));
  const promoteTests = [...errors.tests, latency.test];

  const issues = [...prepared.issues];
  const canaryRequests = windows.reduce((sum, w) => sum + w.canary.requests, 0);
  if (input.canary.length > 0 && canaryRequests === 0) issues.push('no canary traffic');
  const latest = windows.at(-1);
  const p0 = Math.min(c.errorRateMax, 1 - c.successRateMin);
  if (latest && isIncident(latest.stable.errors, latest.stable.requests, p0, c.incidentPValue)) {
    issues.push('stable is failing too in the latest window (shared incident): waiting for it to clear');
  }
  const step = stepEvidence(input, windows, phases, c);

  const failing = slos.filter((s) => s.status === 'fail');
  if (failing.length > 0) {
    const names = failing.map((s) => s.name).join(', ');
    const despite = issues.length > 0 ? ` (despite data problems: ${issues.join('; ')})` : '';
    return {
      verdict: 'rollback',
      slos,
      step,
      eta: null,
      dataIssues: issues,
      explanation: `ROLLBACK — ${names}: ${failing.map((s) => s.explanation).join(' ')}${despite}`,
    };
  }
  if (issues.length > 0) {
    return {
      verdict: 'pause',
      slos,
      step,
      eta: null,
      dataIssues: issues,
      explanation: `PAUSE — data problem: ${issues.join('; ')}. Rollback evidence is still watched; promotion waits.`,
    };
  }
  const allPass = slos.filter((s) => s.evidence.promote !== null).every((s) => s.status === 'pass');
  const stepRequests = step?.requests ?? 0;
  const stepSeconds = step?.seconds ?? 0;
  const enough = stepRequests >= c.minCanaryRequests && stepSeconds >= c.minStepSeconds;
  const at = Number.isFinite(phases.stepStart) ? ' at this step' : '';
  if (allPass && enough) {
    return {
      verdict: 'promote',
      slos,
      step,
      eta: null,
      dataIssues: [],
      explanation: `PROMOTE — every SLO is met with evidence after ${formatCount(stepRequests)} canary requests${at} (${formatDuration(stepSeconds)}), and no regression versus stable.`,
    };
  }
  const eta = step && ctx.projections ? promoteEta(promoteTests, step, rate) : null;
  const minimum = enough
    ? ''
    : ` Promotion needs at least ${formatCount(c.minCanaryRequests)} canary requests and ${formatDuration(c.minStepSeconds)}${at} (have ${formatCount(stepRequests)} in ${formatDuration(stepSeconds)}).`;
  const waiting = slos
    .filter((s) => s.evidence.promote !== null && s.status !== 'pass')
    .map((s) => s.explanation)
    .join(' ');
  return {
    verdict: 'pause',
    slos,
    step,
    eta,
    dataIssues: [],
    explanation:
      `PAUSE — no evidence of regression after ${formatCount(canaryRequests)} canary requests, not yet enough to promote${eta ? ` (${eta.text})` : ''}.${minimum} ${waiting}`.trim(),
  };
}
