/**
 * Latency SLO "P95 ≤ 300 ms" tested as "P(latency > 300 ms) ≤ 5 %" on the slow count. Without a 300 ms bucket
 * boundary (Istio's default buckets go …, 250, 500, … ms) the slow count is only bracketed by the neighbouring
 * boundaries: ROLLBACK needs the lower bound (slower than 500 ms) to cross, PROMOTE the upper bound (slower than
 * 250 ms). Both stay valid, but the SLO as written cannot be decided exactly, and the explanation says so and how to
 * add the boundary.
 */
import { temperings } from './dispersion';
import {
  burstNote,
  type EvalContext,
  isIncident,
  statusOfTest,
  testEvidenceText,
  testNextStepText,
} from './error-slos';
import { type TestEvidence, type TestWindow, testEvidence } from './evidence';
import { eValueNumber, formatCount, formatPercent } from './explain';
import { histogramQuantile, histogramTotal, quantileInterval, sortedBuckets } from './histogram';
import type { Phases } from './phases';
import type { LatencyBucket, SloResult, VersionSample } from './types';
import type { PairedWindow } from './windows';

const ms = (s: number) => (Number.isFinite(s) ? Math.round(s * 1000) : Number.POSITIVE_INFINITY);

/** The bucket boundaries around a threshold that is not one (seconds); null when it is a boundary or no buckets. */
export function bracketOf(
  buckets: readonly LatencyBucket[],
  thresholdSeconds: number,
): [number, number] | null {
  const finite = sortedBuckets(buckets).filter((b) => Number.isFinite(b.le));
  if (finite.length === 0) return null;
  const lower = finite.filter((b) => b.le < thresholdSeconds).at(-1)?.le ?? 0;
  const upper = finite.find((b) => b.le > thresholdSeconds)?.le ?? Number.POSITIVE_INFINITY;
  return [lower, upper];
}

/** The advice for a threshold that is not a boundary, naming the annotation Istio reads. */
export function missingBoundaryText(label: string, limitMs: number, bracket: [number, number]): string {
  const [lo, hi] = bracket;
  return `${label} ≤ ${limitMs} ms cannot be decided exactly: the histogram has no ${limitMs} ms bucket (nearest ${ms(lo)} and ${Number.isFinite(hi) ? `${ms(hi)} ms` : '+Inf'}); add it with the sidecar.istio.io/statsHistogramBuckets annotation on the ingress gateway, e.g. {"istiocustom":[…,${ms(lo)},${limitMs},${Number.isFinite(hi) ? ms(hi) : ''},…]}. Until then it is judged on the bracket: rollback when too many requests exceed ${Number.isFinite(hi) ? `${ms(hi)} ms` : 'the top bucket'}, promote when few enough exceed ${ms(lo)} ms.`;
}

export function latencyWindows(
  windows: readonly PairedWindow[],
  p0: number,
  incidentPValue: number,
): TestWindow[] {
  const excluded = windows.map((w) =>
    isIncident(w.stable.slowLow, w.stable.latencyTotal, p0, incidentPValue),
  );
  const kappas = temperings(
    // the burstiness of slow requests, read on the upper bracket (more events, the same bursts when the boundary is exact)
    windows.map((w) => ({
      canaryK: w.canary.slowHigh,
      canaryN: w.canary.latencyTotal,
      stableK: w.stable.slowHigh,
      stableN: w.stable.latencyTotal,
    })),
    p0,
    (i) => excluded[i] === true,
  );
  return windows.map((w, i) => ({
    start: w.start,
    kUp: w.canary.slowLow,
    kDown: w.canary.slowHigh,
    n: w.canary.latencyTotal,
    kappa: kappas[i] ?? 1,
    excluded: excluded[i] === true,
  }));
}

export function latencySlo(
  windows: readonly PairedWindow[],
  phases: Phases,
  latest: VersionSample | undefined,
  exactBoundary: boolean,
  alphaLatency: number,
  ctx: EvalContext,
): { slo: SloResult; test: TestEvidence } {
  const c = ctx.config;
  const p0 = 1 - c.latencyQuantile;
  const tw = latencyWindows(windows, p0, c.incidentPValue);
  const excluded = tw.filter((w) => w.excluded).length;
  const t = testEvidence(tw, phases, p0, alphaLatency, c.latencyDesign);
  const n = t.pooled.n;
  const status = statusOfTest(t, n);

  const buckets = latest?.latencyBuckets ?? [];
  const total = latest ? histogramTotal(buckets, latest.requests) : 0;
  const q = c.latencyQuantile;
  const name = `P${Math.round(q * 100)}`;
  const bracket = exactBoundary ? null : bracketOf(buckets, c.p95MaxMs / 1000);
  // An interpolated quantile inside a bracket is not evidence: show the quantile only when the threshold is a boundary.
  const est = histogramQuantile(buckets, q, total);
  const ci = quantileInterval(buckets, q, total, c.displayConfidence);
  const highShare = t.step.n > 0 ? t.step.k / t.step.n : null;
  const lowShare = n > 0 ? t.pooled.k / n : null;
  let text: string;
  if (status === 'no-data') text = `${name} latency: no latency observations yet.`;
  else {
    const share = exactBoundary
      ? `${formatPercent(lowShare ?? 0)} of ${formatCount(n)} requests slower than ${c.p95MaxMs} ms`
      : `between ${formatPercent(lowShare ?? 0)} and ${formatPercent(highShare ?? 0)} of the requests slower than ${c.p95MaxMs} ms`;
    const where = bracket
      ? `${name} in the bucket bracket ${ms(bracket[0])}–${Number.isFinite(bracket[1]) ? ms(bracket[1]) : '+Inf'} ms`
      : `${name} ≈ ${est === null ? '?' : ms(est)} ms`;
    const head = `${where} (limit ${c.p95MaxMs} ms); ${share} (limit ${formatPercent(p0)}); ${testEvidenceText(t)}.`;
    const tail =
      status === 'fail'
        ? ' Latency regression detected.'
        : status === 'pass'
          ? ' Within SLO.'
          : ` Not decided yet: ${testNextStepText(t, ctx, c.pooledRollbackWeight)}`;
    text = head + tail + burstNote(t);
  }
  if (bracket) text = `${missingBoundaryText(name, c.p95MaxMs, bracket)} ${text}`;
  if (excluded > 0) text += ` ${excluded} window(s) excluded as shared incidents (stable slow too).`;
  return {
    test: t,
    slo: {
      name: 'latency-p95',
      estimate: est === null ? null : est * 1000,
      interval: ci ? [ci[0] * 1000, ci[1] * 1000] : null,
      threshold: c.p95MaxMs,
      unit: 'ms',
      status,
      evidence: {
        rollback: eValueNumber(t.logUp),
        rollbackThreshold: 1 / alphaLatency,
        promote: eValueNumber(t.logDown),
        promoteThreshold: Math.exp(t.logDownThreshold),
      },
      samples: n,
      explanation: text,
      ...(bracket ? { bracketMs: [ms(bracket[0]), ms(bracket[1])] as [number, number] } : {}),
      exactBoundary,
    },
  };
}
