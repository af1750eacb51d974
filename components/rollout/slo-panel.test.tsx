import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JudgeReport } from '@/lib/slo/report';
import type { SloResult } from '@/lib/slo/types';
import { SloReportView } from './slo-panel';

const slo = (over: Partial<SloResult> & Pick<SloResult, 'name'>): SloResult => ({
  estimate: 0.995,
  interval: [0.99, 0.999],
  threshold: 0.99,
  unit: 'ratio',
  status: 'inconclusive',
  evidence: { rollback: 1, rollbackThreshold: 200, promote: 3, promoteThreshold: 20 },
  samples: 1210,
  explanation: '',
  ...over,
});

const LATENCY_WORDS =
  'P95 ≤ 300 ms cannot be decided exactly: the histogram has no 300 ms bucket (nearest 250 and 500 ms); add it with the sidecar.istio.io/statsHistogramBuckets annotation on the ingress gateway.';

function report(over: Partial<JudgeReport> = {}): JudgeReport {
  return {
    attempt: null,
    metricsQueries: 2,
    verdict: 'pause',
    slos: [
      slo({ name: 'success-rate' }),
      slo({ name: 'error-rate', estimate: 0.005, interval: [0.001, 0.01], threshold: 0.01 }),
      {
        ...slo({ name: 'latency-p95', estimate: 340, interval: [250, 500], threshold: 300, unit: 'ms' }),
        explanation: LATENCY_WORDS,
        ...{ exactBoundary: false, bracketMs: [250, 500] },
      },
    ],
    step: { attempt: 1, start: 0, seconds: 42, requests: 1210, minSeconds: 30, minRequests: 100 },
    eta: { side: 'promote', requests: 400, seconds: 180, text: 'about 3 min more at this traffic' },
    dataIssues: [],
    explanation: 'Still gathering evidence.',
    namespace: 'demo',
    rollout: 'webapp',
    canary: { service: 'webapp-canary', podHash: 'h2' },
    stable: { service: 'webapp-stable', podHash: 'h1' },
    window: { since: 0, until: 60, stepSeconds: 5 },
    metrics: 'prometheus',
    thresholds: {
      successRateMin: 0.99,
      errorRateMax: 0.01,
      p95MaxMs: 300,
      minStepSeconds: 30,
      sources: {
        successRateMin: 'default',
        errorRateMax: 'config-namespace',
        p95MaxMs: 'analysis',
        minStepSeconds: 'default',
      },
    },
    ...over,
  } as JudgeReport;
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('the SLO panel', () => {
  it('shows each threshold with its source, the step evidence and the ETA', () => {
    const out = text(renderToStaticMarkup(<SloReportView report={report()} weight={30} />));
    expect(out).toContain('≤ 300 ms from the AnalysisTemplate');
    expect(out).toContain('≤ 1 % from the config (this namespace)');
    expect(out).toContain('≥ 99 % built-in default');
    expect(out).toContain('at 30 %: 42 s, 1,210 requests; promote needs ≥ 30 s and ≥ 100 requests ✓');
    expect(out).toContain('Promote expected: about 3 min more at this traffic');
  });

  it('shows the bucket bracket and the judge’s words instead of an interpolated P95', () => {
    const html = renderToStaticMarkup(<SloReportView report={report()} />);
    const row = /<tr[^>]*data-slo="latency-p95"[^>]*>(.*?)<\/tr>/s.exec(html)?.[1] ?? '';
    expect(text(row)).toContain('250–500 ms (bucket)');
    expect(text(row)).not.toContain('340 ms');
    expect(text(html)).toContain(
      'P95 ≤ 300 ms cannot be decided exactly: the histogram has no 300 ms bucket',
    );
  });

  it('shows the estimate on a boundary, and no step or ETA lines when the judge has none', () => {
    const r = report({ step: null, eta: null });
    r.slos[2] = {
      ...slo({ name: 'latency-p95', estimate: 212, interval: [190, 240], threshold: 250, unit: 'ms' }),
    };
    const html = renderToStaticMarkup(<SloReportView report={r} />);
    const out = text(html);
    expect(out).toContain('212 ms');
    expect(out).not.toContain('(bucket)');
    expect(html).not.toContain('data-testid="slo-step"');
    expect(html).not.toContain('data-testid="slo-eta"');
    expect(html).not.toContain('data-testid="slo-latency-note"');
  });
});
