/** Canary-versus-stable SLO result (rollback-only: it can veto, never promote). */
import type { EvalContext } from './error-slos';
import { eValueNumber, formatCount, formatEValue } from './explain';
import { clopperPearsonInterval } from './intervals';
import { logRelativeEValue, type RelativeWindow, rateRatio, thetaFromShare } from './relative-test';
import type { SloResult } from './types';
import type { PairedWindow } from './windows';

export function relativeWindows(windows: readonly PairedWindow[]): RelativeWindow[] {
  return windows.map((w) => {
    const total = w.canary.requests + w.stable.requests;
    return {
      canaryErrors: w.canary.errors,
      stableErrors: w.stable.errors,
      rho: total > 0 ? w.canary.requests / total : 0,
    };
  });
}

export function relativeSlo(
  windows: readonly PairedWindow[],
  alphaRelative: number,
  ctx: EvalContext,
): SloResult {
  const rw = relativeWindows(windows).filter((w) => w.rho > 0 && w.rho < 1);
  const logE =
    alphaRelative > 0
      ? logRelativeEValue(rw, ctx.config.relativeThetas, ctx.config.relativeTempering)
      : Number.NEGATIVE_INFINITY;
  const logThreshold = alphaRelative > 0 ? Math.log(1 / alphaRelative) : Number.POSITIVE_INFINITY;
  let ce = 0;
  let cr = 0;
  let se = 0;
  let sr = 0;
  for (const w of windows) {
    ce += w.canary.errors;
    cr += w.canary.requests;
    se += w.stable.errors;
    sr += w.stable.requests;
  }
  const estimate = rateRatio(ce, cr, se, sr);
  const rho = cr + sr > 0 ? cr / (cr + sr) : 0;
  const share = clopperPearsonInterval(ce, ce + se, ctx.config.displayConfidence);
  const interval: [number, number] | null =
    ce + se > 0 && rho > 0 && rho < 1 ? [thetaFromShare(share[0], rho), thetaFromShare(share[1], rho)] : null;
  const fail = logE >= logThreshold;
  const noData = cr <= 0 || sr <= 0;
  const ratio = estimate === null ? '?' : Number.isFinite(estimate) ? `${estimate.toFixed(2)}×` : '∞×';
  const explanation = noData
    ? 'Canary vs stable: needs traffic on both versions.'
    : `Canary vs stable: canary error rate is ${ratio} stable's (${formatCount(ce)} vs ${formatCount(se)} errors at ${(rho * 100).toFixed(0)} % canary traffic); evidence ${formatEValue(logE)}× that the canary is worse (rollback at ${formatEValue(logThreshold)}×). ${
        fail
          ? 'The canary fails more often than stable on the same traffic: regression.'
          : 'No evidence the canary fails more than stable; shared incidents cancel out. This test can only veto.'
      }`;
  return {
    name: 'canary-vs-stable',
    estimate: estimate !== null && Number.isFinite(estimate) ? estimate : null,
    interval,
    threshold: 1,
    unit: 'rate-ratio',
    status: noData ? 'no-data' : fail ? 'fail' : 'pass',
    evidence: {
      rollback: eValueNumber(logE),
      rollbackThreshold: 1 / alphaRelative,
      promote: null,
      promoteThreshold: null,
    },
    samples: ce + se,
    explanation,
  };
}
