import { describe, expect, it } from 'vitest';
import type { AppliedThresholds } from '@/lib/schemas/slo-thresholds';
import type { StepEvidence } from '@/lib/slo/types';
import {
  bracketText,
  type LatencyResult,
  latencyBracket,
  stepReady,
  stepText,
  thresholdSource,
} from './slo-text';

const step: StepEvidence = {
  attempt: 1,
  start: 1000,
  seconds: 42,
  requests: 1210,
  minSeconds: 30,
  minRequests: 100,
};

const thresholds: AppliedThresholds = {
  successRateMin: 0.99,
  errorRateMax: 0.01,
  p95MaxMs: 300,
  minStepSeconds: 60,
  sources: {
    successRateMin: 'default',
    errorRateMax: 'config-namespace',
    p95MaxMs: 'analysis',
    minStepSeconds: 'config-rollout',
  },
};

const latency = (over: Partial<LatencyResult>): LatencyResult => ({
  name: 'latency-p95',
  estimate: 340,
  interval: [250, 500],
  threshold: 300,
  unit: 'ms',
  status: 'inconclusive',
  evidence: { rollback: 1, rollbackThreshold: 400, promote: 1, promoteThreshold: 20 },
  samples: 900,
  explanation: 'P95 ≈ 340 ms (limit 300 ms); Not decided yet.',
  ...over,
});

describe('the SLO panel words', () => {
  it('names where each threshold came from', () => {
    expect(thresholdSource('latency-p95', thresholds)).toBe('from the AnalysisTemplate');
    expect(thresholdSource('error-rate', thresholds)).toBe('from the config (this namespace)');
    expect(thresholdSource('success-rate', thresholds)).toBe('built-in default');
    expect(thresholdSource('canary-vs-stable', thresholds)).toBe('');
    expect(thresholdSource('latency-p95', undefined)).toBe('');
  });

  it('tells the evidence at the current step against what PROMOTE needs', () => {
    expect(stepText(step, 30)).toBe('at 30 %: 42 s, 1,210 requests; promote needs ≥ 30 s and ≥ 100 requests');
    expect(stepText({ ...step, seconds: 95, minSeconds: 60 }, null, 'config-rollout')).toBe(
      'at this step: 1m 35s, 1,210 requests; promote needs ≥ 1m 00s (from the config (this rollout)) and ≥ 100 requests',
    );
    expect(stepReady(step)).toBe(true);
    expect(stepReady({ ...step, seconds: 12 })).toBe(false);
    expect(stepReady({ ...step, requests: 99 })).toBe(false);
  });

  it('shows the bucket bracket, not an interpolated P95, when the threshold is not a boundary', () => {
    expect(latencyBracket(latency({ exactBoundary: false, bracketMs: [250, 500] }))).toEqual([250, 500]);
    expect(latencyBracket(latency({ exactBoundary: false, bracketMs: [500, null] }))).toEqual([500, null]);
    const words = latency({
      explanation:
        'P95 ≤ 300 ms cannot be decided exactly: the histogram has no 300 ms bucket (nearest 250 and 500 ms); … P95 in the bucket bracket 250–500 ms (limit 300 ms)',
    });
    expect(latencyBracket(words)).toEqual([250, 500]);
    const older = latency({
      explanation:
        'P95 ≈ 340 ms (300 ms is not a bucket boundary: slow count bracketed by the neighbouring buckets)',
    });
    expect(latencyBracket(older)).toEqual([250, 500]);
    expect(bracketText([250, 500])).toBe('250–500 ms');
    expect(bracketText([1000, null])).toBe('> 1000 ms');
  });

  it('shows the estimate when the threshold is a boundary', () => {
    expect(latencyBracket(latency({ exactBoundary: true }))).toBeNull();
    expect(latencyBracket(latency({}))).toBeNull();
    expect(latencyBracket({ ...latency({}), name: 'error-rate', exactBoundary: false })).toBeNull();
  });
});
