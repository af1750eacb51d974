/**
 * The judge: combine anytime-valid SLO tests into PROMOTE / PAUSE / ROLLBACK.
 *
 * - ROLLBACK if any rollback test crosses 1/α_i, with α split across the rollback tests (Bonferroni):
 *   P(false ROLLBACK at any time) ≤ α even when judged after every scrape, forever (Ville's inequality).
 * - PROMOTE only if every promote test crossed 1/alphaPromote (intersection-union test: P(promoting a
 *   version that violates any SLO) ≤ alphaPromote), the canary served ≥ minCanaryRequests, and the data
 *   passed every quality guard.
 * - PAUSE otherwise. Data-quality problems (no traffic, missing/stale/invalid data, a counter reset in the
 *   latest window) always give PAUSE.
 */
import { resolveConfig, rollbackAlphas } from './config';
import { type EvalContext, errorSlos, isIncident } from './error-slos';
import { formatCount } from './explain';
import { latencySlo } from './latency-slo';
import { relativeSlo } from './relative-slo';
import type { JudgeConfig, JudgeInput, SloResult, Verdict } from './types';
import { prepareWindows } from './windows';

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

export function judge(
  input: JudgeInput,
  config: Partial<JudgeConfig> = {},
  options: JudgeOptions = {},
): Verdict {
  const c = resolveConfig(config);
  const alphas = rollbackAlphas(c);
  const ctx: EvalContext = {
    config: c,
    requestRate: latestRate(input),
    projections: options.projections ?? true,
  };
  const prepared = prepareWindows(
    input.canary,
    input.stable,
    input.now,
    c.p95MaxMs / 1000,
    c.stalenessSeconds,
  );
  const { windows } = prepared;
  const slos: SloResult[] = [
    ...errorSlos(windows, alphas.errors, ctx),
    latencySlo(windows, input.canary.at(-1), prepared.exactBoundary, alphas.latency, ctx),
  ];
  if (alphas.relative > 0) slos.push(relativeSlo(windows, alphas.relative, ctx));

  const issues = [...prepared.issues];
  const canaryRequests = windows.reduce((sum, w) => sum + w.canary.requests, 0);
  if (input.canary.length > 0 && canaryRequests === 0) issues.push('no canary traffic');
  const latest = windows.at(-1);
  const p0 = Math.min(c.errorRateMax, 1 - c.successRateMin);
  if (latest && isIncident(latest.stable.errors, latest.stable.requests, p0, c.incidentPValue)) {
    issues.push('stable is failing too in the latest window (shared incident): waiting for it to clear');
  }

  const failing = slos.filter((s) => s.status === 'fail');
  const promoteTests = slos.filter((s) => s.evidence.promote !== null);
  const allPass = promoteTests.every((s) => s.status === 'pass');
  const enough = canaryRequests >= c.minCanaryRequests;

  if (issues.length > 0) {
    return {
      verdict: 'pause',
      slos,
      dataIssues: issues,
      explanation: `PAUSE — data problem: ${issues.join('; ')}.`,
    };
  }
  if (failing.length > 0) {
    const names = failing.map((s) => s.name).join(', ');
    return {
      verdict: 'rollback',
      slos,
      dataIssues: [],
      explanation: `ROLLBACK — ${names}: ${failing.map((s) => s.explanation).join(' ')}`,
    };
  }
  if (allPass && enough) {
    return {
      verdict: 'promote',
      slos,
      dataIssues: [],
      explanation: `PROMOTE — every SLO is met with evidence after ${formatCount(canaryRequests)} canary requests, and no regression versus stable.`,
    };
  }
  const waiting = enough
    ? promoteTests
        .filter((s) => s.status !== 'pass')
        .map((s) => s.explanation)
        .join(' ')
    : `Need at least ${formatCount(c.minCanaryRequests)} canary requests before promoting (have ${formatCount(canaryRequests)}).`;
  return {
    verdict: 'pause',
    slos,
    dataIssues: [],
    explanation: `PAUSE — no evidence of regression after ${formatCount(canaryRequests)} canary requests, not yet enough to promote. ${waiting}`,
  };
}
