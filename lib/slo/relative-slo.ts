/**
 * Canary-versus-stable SLO result (rollback-only: it can veto, never promote). It judges only the windows where stable
 * fails too (shared incidents): those are exactly the windows the absolute SLO tests leave out, and there only the
 * comparison with stable on the same traffic can tell a canary that breaks a shared dependency from an outage it
 * merely shares. Outside incidents the SLO is the contract: a canary at 0.8 % errors against a stable at 0.2 % meets
 * it and is not rolled back (the ratio is still shown).
 */
import { type EvalContext, isIncident } from './error-slos';
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
  const c = ctx.config;
  const p0 = Math.min(c.errorRateMax, 1 - c.successRateMin);
  const incidents = windows.filter((w) =>
    isIncident(w.stable.errors, w.stable.requests, p0, c.incidentPValue),
  );
  const rw = relativeWindows(incidents).filter((w) => w.rho > 0 && w.rho < 1);
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
  const scope =
    incidents.length === 0
      ? ' No shared incident so far: the absolute SLO tests decide, and this test only watches.'
      : ` Judged on the ${incidents.length} window(s) where stable failed too.`;
  const ratio = estimate === null ? '?' : Number.isFinite(estimate) ? `${estimate.toFixed(2)}×` : '∞×';
  const explanation = noData
    ? 'Canary vs stable: needs traffic on both versions.'
    : `Canary vs stable: canary error rate is ${ratio} stable's (${formatCount(ce)} vs ${formatCount(se)} errors at ${(rho * 100).toFixed(0)} % canary traffic); evidence ${formatEValue(logE)}× that the canary is worse (rollback at ${formatEValue(logThreshold)}×). ${
        fail
          ? 'During a shared incident the canary fails more often than stable on the same traffic: regression.'
          : 'No evidence the canary fails more than stable during shared incidents. This test can only veto.'
      }${scope}`;
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
