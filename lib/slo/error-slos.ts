/** Success-rate and error-rate SLOs: one shared one-sided binomial e-process test on the canary's 5xx count. */
import { type BinomialDesign, binomialEvidence } from './binomial-eprocess';
import {
  eValueNumber,
  formatCount,
  formatDuration,
  formatEValue,
  formatPercent,
  projectDecision,
} from './explain';
import { clopperPearsonInterval } from './intervals';
import { binomialSf } from './primitives';
import type { JudgeConfig, SloResult, SloStatus } from './types';
import type { PairedWindow } from './windows';

export interface EvalContext {
  config: JudgeConfig;
  /** Canary requests per second in the latest window (for "time to decide" hints), if known. */
  requestRate: number | null;
  projections: boolean;
}

export interface BinomialOutcome {
  design: BinomialDesign;
  k: number;
  n: number;
  p0: number;
  logUp: number;
  logDown: number;
  logUpThreshold: number;
  logDownThreshold: number;
  rollback: boolean;
  promote: boolean;
}

export function binomialOutcome(
  k: number,
  n: number,
  p0: number,
  alphaUp: number,
  ctx: EvalContext,
  design: BinomialDesign = ctx.config.binomialDesign,
): BinomialOutcome {
  const ev = binomialEvidence(k, n, p0, design);
  const logUpThreshold = Math.log(1 / alphaUp);
  const logDownThreshold = Math.log(1 / ctx.config.alphaPromote);
  return {
    design,
    k,
    n,
    p0,
    ...ev,
    logUpThreshold,
    logDownThreshold,
    rollback: ev.logUp >= logUpThreshold,
    promote: ev.logDown >= logDownThreshold,
  };
}

/** A window is a shared incident when stable alone breaches the SLO beyond reasonable doubt. */
export function isIncident(events: number, trials: number, p0: number, pValue: number): boolean {
  return trials > 0 && events > trials * p0 && binomialSf(events, trials, p0) < pValue;
}

export function statusOf(o: BinomialOutcome): SloStatus {
  if (o.n <= 0) return 'no-data';
  if (o.rollback) return 'fail';
  if (o.promote) return 'pass';
  return 'inconclusive';
}

export function evidenceText(o: BinomialOutcome): string {
  return `evidence ${formatEValue(o.logUp)}× for a violation (rollback at ${formatEValue(o.logUpThreshold)}×), ${formatEValue(o.logDown)}× for compliance (promote at ${formatEValue(o.logDownThreshold)}×)`;
}

export function nextStepText(o: BinomialOutcome, ctx: EvalContext): string {
  if (!ctx.projections) return 'more data needed.';
  const p = projectDecision(o.k, o.n, o.p0, o.design, o.logUpThreshold, o.logDownThreshold);
  if (!p) return 'the observed rate is too close to the limit to decide within 10 M requests.';
  const time =
    ctx.requestRate && ctx.requestRate > 0
      ? ` (~${formatDuration(p.moreRequests / ctx.requestRate)} at the current rate)`
      : '';
  const verb = p.side === 'rollback' ? 'roll back' : 'pass';
  return `if the current rate holds, ~${formatCount(p.moreRequests)} more requests${time} to ${verb}.`;
}

export function errorSlos(
  windows: readonly PairedWindow[],
  alphaErrors: number,
  ctx: EvalContext,
): SloResult[] {
  const c = ctx.config;
  const p0Success = 1 - c.successRateMin;
  const p0Error = c.errorRateMax;
  const shared = Math.abs(p0Success - p0Error) < 1e-12;
  const alphaEach = shared ? alphaErrors : alphaErrors / 2;
  let k = 0;
  let n = 0;
  let excluded = 0;
  for (const w of windows) {
    if (isIncident(w.stable.errors, w.stable.requests, Math.min(p0Success, p0Error), c.incidentPValue)) {
      excluded++;
      continue;
    }
    k += w.canary.errors;
    n += w.canary.requests;
  }
  const interval = clopperPearsonInterval(k, n, c.displayConfidence);
  const note =
    excluded > 0 ? ` ${excluded} window(s) excluded as shared incidents (stable failing too).` : '';
  const one = (name: 'success-rate' | 'error-rate', p0: number): SloResult => {
    const o = binomialOutcome(k, n, p0, alphaEach, ctx);
    const status = statusOf(o);
    const success = name === 'success-rate';
    const est = n > 0 ? (success ? 1 - k / n : k / n) : null;
    const label = success ? 'Success rate' : 'Error rate';
    const limit = success ? `minimum ${formatPercent(1 - p0)}` : `maximum ${formatPercent(p0)}`;
    const head =
      est === null
        ? `${label}: no canary requests yet.`
        : `${label} ${formatPercent(est)} over ${formatCount(n)} requests (${limit}); ${evidenceText(o)}.`;
    const tail =
      status === 'fail'
        ? ' Regression detected.'
        : status === 'pass'
          ? n > 0 && k === 0
            ? ` No errors in ${formatCount(n)} requests: within SLO.`
            : ' Within SLO.'
          : status === 'no-data'
            ? ''
            : ` Not decided yet: ${nextStepText(o, ctx)}`;
    return {
      name,
      estimate: est,
      interval: success ? [1 - interval[1], 1 - interval[0]] : interval,
      threshold: success ? 1 - p0 : p0,
      unit: 'ratio',
      status,
      evidence: {
        rollback: eValueNumber(o.logUp),
        rollbackThreshold: 1 / alphaEach,
        promote: eValueNumber(o.logDown),
        promoteThreshold: 1 / c.alphaPromote,
      },
      samples: n,
      explanation: `${head}${tail}${note}${shared && !success ? ' (Same test as the success rate; α counted once.)' : ''}`,
    };
  };
  return [one('success-rate', p0Success), one('error-rate', p0Error)];
}
