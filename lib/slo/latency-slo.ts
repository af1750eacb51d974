/**
 * Latency SLO "P95 ≤ 300 ms" tested as "P(latency > 300 ms) ≤ 5 %" on the slow count. Without a 300 ms
 * bucket boundary the slow count is bracketed: ROLLBACK needs the lower bound to cross (conservative),
 * PROMOTE needs the upper bound to cross; when the two brackets disagree the answer is inconclusive (PAUSE).
 */
import { binomialOutcome, type EvalContext, evidenceText, isIncident, nextStepText } from './error-slos';
import { eValueNumber, formatCount, formatPercent } from './explain';
import { histogramQuantile, histogramTotal, quantileInterval } from './histogram';
import type { SloResult, SloStatus, VersionSample } from './types';
import type { PairedWindow } from './windows';

export function latencySlo(
  windows: readonly PairedWindow[],
  latest: VersionSample | undefined,
  exactBoundary: boolean,
  alphaLatency: number,
  ctx: EvalContext,
): SloResult {
  const c = ctx.config;
  const p0 = 1 - c.latencyQuantile;
  let n = 0;
  let low = 0;
  let high = 0;
  let excluded = 0;
  for (const w of windows) {
    if (isIncident(w.stable.slowLow, w.stable.latencyTotal, p0, c.incidentPValue)) {
      excluded++;
      continue;
    }
    n += w.canary.latencyTotal;
    low += w.canary.slowLow;
    high += w.canary.slowHigh;
  }
  const conservativeUp = binomialOutcome(low, n, p0, alphaLatency, ctx, c.latencyDesign);
  const conservativeDown = binomialOutcome(high, n, p0, alphaLatency, ctx, c.latencyDesign);
  const rollback = conservativeUp.rollback;
  const promote = conservativeDown.promote;
  const disagree =
    !exactBoundary && !rollback && !promote && (conservativeDown.rollback || conservativeUp.promote);
  const status: SloStatus = n <= 0 ? 'no-data' : rollback ? 'fail' : promote ? 'pass' : 'inconclusive';

  const buckets = latest?.latencyBuckets ?? [];
  const total = latest ? histogramTotal(buckets, latest.requests) : 0;
  const q = c.latencyQuantile;
  const est = histogramQuantile(buckets, q, total);
  const ci = quantileInterval(buckets, q, total, c.displayConfidence);
  const ms = (s: number) => (Number.isFinite(s) ? Math.round(s * 1000) : Number.POSITIVE_INFINITY);
  const slowShare =
    n > 0
      ? exactBoundary
        ? formatPercent(low / n)
        : `${formatPercent(low / n)}–${formatPercent(high / n)}`
      : '';
  const name = `P${Math.round(q * 100)}`;
  const bracket = exactBoundary
    ? ''
    : ` (${c.p95MaxMs} ms is not a bucket boundary: slow count bracketed by the neighbouring buckets)`;
  let text: string;
  if (status === 'no-data') text = `${name} latency: no latency observations yet.`;
  else {
    const head = `${name} ≈ ${est === null ? '?' : ms(est)} ms (limit ${c.p95MaxMs} ms); ${slowShare} of ${formatCount(n)} requests slower than ${c.p95MaxMs} ms (limit ${formatPercent(p0)})${bracket}; ${evidenceText(rollback ? conservativeUp : conservativeDown)}.`;
    const tail = rollback
      ? ' Latency regression detected.'
      : promote
        ? ' Within SLO.'
        : disagree
          ? ' The two bucket brackets disagree, so the answer is PAUSE until a finer histogram or more data separates them.'
          : ` Not decided yet: ${nextStepText(conservativeUp, ctx)}`;
    text = head + tail;
  }
  if (excluded > 0) text += ` ${excluded} window(s) excluded as shared incidents (stable slow too).`;
  return {
    name: 'latency-p95',
    estimate: est === null ? null : est * 1000,
    interval: ci ? [ci[0] * 1000, ci[1] * 1000] : null,
    threshold: c.p95MaxMs,
    unit: 'ms',
    status: disagree ? 'inconclusive' : status,
    evidence: {
      rollback: eValueNumber(conservativeUp.logUp),
      rollbackThreshold: 1 / alphaLatency,
      promote: eValueNumber(conservativeDown.logDown),
      promoteThreshold: 1 / c.alphaPromote,
    },
    samples: n,
    explanation: text,
  };
}
