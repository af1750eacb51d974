/** Success-rate and error-rate SLOs: one shared one-sided binomial e-process test on the canary's 5xx count. */

import { temperings } from './dispersion';
import { type TestEvidence, type TestWindow, testEvidence } from './evidence';
import {
  eValueNumber,
  formatCount,
  formatDuration,
  formatEValue,
  formatPercent,
  projectDecision,
} from './explain';
import { clopperPearsonInterval } from './intervals';
import type { Phases } from './phases';
import { binomialSf } from './primitives';
import type { JudgeConfig, SloResult, SloStatus } from './types';
import type { PairedWindow } from './windows';

export interface EvalContext {
  config: JudgeConfig;
  /** Canary requests per second in the latest window (for "time to decide" hints), if known. */
  requestRate: number | null;
  projections: boolean;
}

/** A window is a shared incident when stable alone breaches the SLO beyond reasonable doubt. */
export function isIncident(events: number, trials: number, p0: number, pValue: number): boolean {
  return trials > 0 && events > trials * p0 && binomialSf(events, trials, p0) < pValue;
}

/** The error-rate windows of the canary with their burst tempering (shared incidents marked). */
export function errorWindows(
  windows: readonly PairedWindow[],
  p0: number,
  incidentPValue: number,
): TestWindow[] {
  const excluded = windows.map((w) => isIncident(w.stable.errors, w.stable.requests, p0, incidentPValue));
  const kappas = temperings(
    windows.map((w) => ({
      canaryK: w.canary.errors,
      canaryN: w.canary.requests,
      stableK: w.stable.errors,
      stableN: w.stable.requests,
    })),
    p0,
    (i) => excluded[i] === true,
  );
  return windows.map((w, i) => ({
    start: w.start,
    kUp: w.canary.errors,
    kDown: w.canary.errors,
    n: w.canary.requests,
    kappa: kappas[i] ?? 1,
    excluded: excluded[i] === true,
  }));
}

export function statusOfTest(t: TestEvidence, n: number): SloStatus {
  if (n <= 0) return 'no-data';
  if (t.rollback) return 'fail';
  if (t.promote) return 'pass';
  return 'inconclusive';
}

export function testEvidenceText(t: TestEvidence): string {
  return `evidence ${formatEValue(t.logUp)}× for a violation (rollback at ${formatEValue(t.logUpThreshold)}×), ${formatEValue(t.logDown)}× for compliance at this step (promote at ${formatEValue(t.logDownThreshold)}×)`;
}

/** "bursts seen: evidence counted at 72 %" when the tempering is active. */
export function burstNote(t: TestEvidence): string {
  return t.stepKappa < 0.995
    ? ` Errors come in bursts: each window's evidence is tempered (counted at ${Math.round(t.stepKappa * 100)} %).`
    : '';
}

/** Requests (at the observed rate) until the promote side would cross, or null. */
export function promoteRequests(t: TestEvidence): number | null {
  const p = projectDecision(
    t.effectiveStep.k,
    t.effectiveStep.n,
    t.p0,
    t.design,
    Number.POSITIVE_INFINITY,
    t.logDownThreshold,
  );
  return p ? p.moreRequests / Math.max(t.stepKappa, 1e-3) : null;
}

/** Requests until the rollback side would cross on the pooled data alone (threshold scaled by its weight), or null. */
export function rollbackRequests(t: TestEvidence, pooledWeight: number): number | null {
  const kappa = t.pooled.n > 0 ? t.effectivePooled.n / t.pooled.n : 1;
  const p = projectDecision(
    t.effectivePooled.k,
    t.effectivePooled.n,
    t.p0,
    t.design,
    t.logUpThreshold - Math.log(pooledWeight),
    Number.POSITIVE_INFINITY,
  );
  return p ? p.moreRequests / Math.max(kappa, 1e-3) : null;
}

export function testNextStepText(t: TestEvidence, ctx: EvalContext, pooledWeight: number): string {
  if (!ctx.projections) return 'more data needed.';
  const rate = t.step.n > 0 ? t.step.k / t.step.n : 0;
  const up = rate > t.p0;
  const more = up ? rollbackRequests(t, pooledWeight) : promoteRequests(t);
  if (more === null) return 'the observed rate is too close to the limit to decide within 10 M requests.';
  const time =
    ctx.requestRate && ctx.requestRate > 0
      ? ` (~${formatDuration(more / ctx.requestRate)} at the current rate)`
      : '';
  return `if the current rate holds, ~${formatCount(Math.ceil(more))} more requests${time} to ${up ? 'roll back' : 'pass'}.`;
}

export function errorSlos(
  windows: readonly PairedWindow[],
  phases: Phases,
  alphaErrors: number,
  ctx: EvalContext,
): { slos: SloResult[]; tests: TestEvidence[] } {
  const c = ctx.config;
  const p0Success = 1 - c.successRateMin;
  const p0Error = c.errorRateMax;
  const shared = Math.abs(p0Success - p0Error) < 1e-12;
  const alphaEach = shared ? alphaErrors : alphaErrors / 2;
  const tw = errorWindows(windows, Math.min(p0Success, p0Error), c.incidentPValue);
  const excluded = tw.filter((w) => w.excluded).length;
  const note =
    excluded > 0 ? ` ${excluded} window(s) excluded as shared incidents (stable failing too).` : '';
  const tests: TestEvidence[] = [];
  const one = (name: 'success-rate' | 'error-rate', p0: number): SloResult => {
    const t = testEvidence(tw, phases, p0, alphaEach, c.binomialDesign);
    tests.push(t);
    const { k, n } = t.pooled;
    const interval = clopperPearsonInterval(k, n, c.displayConfidence);
    const status = statusOfTest(t, n);
    const success = name === 'success-rate';
    const est = n > 0 ? (success ? 1 - k / n : k / n) : null;
    const label = success ? 'Success rate' : 'Error rate';
    const limit = success ? `minimum ${formatPercent(1 - p0)}` : `maximum ${formatPercent(p0)}`;
    const stepPart =
      t.step.n !== n && t.step.n > 0
        ? `, ${formatPercent(success ? 1 - t.step.k / t.step.n : t.step.k / t.step.n)} over ${formatCount(t.step.n)} at this step`
        : '';
    const head =
      est === null
        ? `${label}: no canary requests yet.`
        : `${label} ${formatPercent(est)} over ${formatCount(n)} requests${stepPart} (${limit}); ${testEvidenceText(t)}.`;
    const tail =
      status === 'fail'
        ? ' Regression detected.'
        : status === 'pass'
          ? t.step.n > 0 && t.step.k === 0
            ? ` No errors in ${formatCount(t.step.n)} requests at this step: within SLO.`
            : ' Within SLO.'
          : status === 'no-data'
            ? ''
            : ` Not decided yet: ${testNextStepText(t, ctx, c.pooledRollbackWeight)}`;
    return {
      name,
      estimate: est,
      interval: success ? [1 - interval[1], 1 - interval[0]] : interval,
      threshold: success ? 1 - p0 : p0,
      unit: 'ratio',
      status,
      evidence: {
        rollback: eValueNumber(t.logUp),
        rollbackThreshold: 1 / alphaEach,
        promote: eValueNumber(t.logDown),
        promoteThreshold: Math.exp(t.logDownThreshold),
      },
      samples: n,
      explanation: `${head}${tail}${burstNote(t)}${note}${shared && !success ? ' (Same test as the success rate; α counted once.)' : ''}`,
    };
  };
  return { slos: [one('success-rate', p0Success), one('error-rate', p0Error)], tests };
}
