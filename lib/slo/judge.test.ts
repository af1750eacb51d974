import { describe, expect, it } from 'vitest';
import { logSprt } from './binomial-eprocess';
import { DEFAULT_JUDGE_CONFIG, rollbackAlphas } from './config';
import { judge } from './judge';
import { buckets, repeat, sample, series } from './test-fixtures';
import type { JudgeInput } from './types';

const healthy = { canaryRequests: 75, canaryErrors: 0, stableRequests: 675, stableErrors: 1 };

describe('judge verdicts', () => {
  it('promotes a clean canary once the evidence and the minimum sample are there', () => {
    const early = judge(series(repeat(healthy, 1)));
    expect(early.verdict).toBe('pause');
    const v = judge(series(repeat(healthy, 8))); // 600 requests, no errors
    expect(v.verdict).toBe('promote');
    expect(v.slos.every((s) => s.status === 'pass')).toBe(true);
    const err = v.slos.find((s) => s.name === 'error-rate');
    expect(err?.evidence.promote).toBeGreaterThanOrEqual(20);
    expect(v.explanation).toMatch(/^PROMOTE/);
  });

  it('rolls back a 5 % error rate within a few windows', () => {
    const bad = { canaryRequests: 75, canaryErrors: 4, stableRequests: 675, stableErrors: 1 };
    const v = judge(series(repeat(bad, 3)));
    expect(v.verdict).toBe('rollback');
    const err = v.slos.find((s) => s.name === 'error-rate');
    expect(err?.status).toBe('fail');
    expect(err?.estimate).toBeCloseTo(12 / 225, 12);
    expect(err?.evidence.rollback).toBeGreaterThanOrEqual(
      err?.evidence.rollbackThreshold ?? Number.POSITIVE_INFINITY,
    );
  });

  it('rolls back 5 % errors at 5 s scrapes within two windows of the oracle SPRT told the true rate', () => {
    // 10 % of 50 rps: 25 canary requests per 5 s window, errors 1, 1, 2, 1, 1, 2, … (5 %)
    const pattern = [1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2];
    const windows = pattern.map((canaryErrors) => ({
      canaryRequests: 25,
      canaryErrors,
      stableRequests: 225,
      stableErrors: 0,
    }));
    const alpha = rollbackAlphas(DEFAULT_JUDGE_CONFIG).errors;
    let k = 0;
    let oracle = -1;
    windows.forEach((w, i) => {
      k += w.canaryErrors;
      if (oracle < 0 && logSprt(k, 25 * (i + 1), 0.01, 0.05) >= Math.log(1 / alpha)) oracle = i;
    });
    const first = windows.findIndex(
      (_, i) => judge(series(windows.slice(0, i + 1)), {}, { projections: false }).verdict === 'rollback',
    );
    expect(oracle).toBeGreaterThanOrEqual(0);
    expect(first).toBeGreaterThanOrEqual(oracle);
    expect(first).toBeLessThanOrEqual(oracle + 2);
    const v = judge(series(windows.slice(0, first + 1)));
    expect(v.slos.find((s) => s.name === 'error-rate')?.evidence.rollbackThreshold).toBeCloseTo(200, 9);
    expect(rollbackAlphas(DEFAULT_JUDGE_CONFIG)).toEqual({
      errors: 0.005,
      latency: 0.0025,
      relative: 0.0025,
    });
  });

  it('rolls back on latency when > 5 % of requests exceed 300 ms', () => {
    const slow = { ...healthy, canarySlow: 20 };
    const v = judge(series(repeat(slow, 4)));
    expect(v.verdict).toBe('rollback');
    expect(v.slos.find((s) => s.name === 'latency-p95')?.status).toBe('fail');
  });

  it('does not roll back a canary worse than stable but inside the SLO (the SLO is the contract)', () => {
    const rel = { canaryRequests: 150, canaryErrors: 1, stableRequests: 600, stableErrors: 0 };
    const v = judge(series(repeat(rel, 12)));
    const r = v.slos.find((s) => s.name === 'canary-vs-stable');
    expect(r?.status).toBe('pass');
    expect(r?.explanation).toMatch(/No shared incident so far/);
    expect(v.verdict).not.toBe('rollback');
  });

  it('rolls back a canary that fails far more than stable during a shared incident', () => {
    // stable at 5 % (an incident: excluded from the absolute tests), canary at 30 % on the same traffic
    const incident = { canaryRequests: 150, canaryErrors: 45, stableRequests: 600, stableErrors: 30 };
    const v = judge(series(repeat(incident, 3)));
    const r = v.slos.find((s) => s.name === 'canary-vs-stable');
    expect(r?.status).toBe('fail');
    expect(r?.explanation).toMatch(/where stable failed too/);
    expect(v.verdict).toBe('rollback');
    expect(v.slos.find((s) => s.name === 'error-rate')?.status).toBe('no-data');
  });

  it('does not roll back a shared outage (stable failing too) and pauses during it', () => {
    const outage = { canaryRequests: 75, canaryErrors: 25, stableRequests: 675, stableErrors: 220 };
    const v = judge(series([...repeat(healthy, 4), outage, outage]));
    expect(v.verdict).toBe('pause');
    expect(v.dataIssues.join(' ')).toMatch(/shared incident/);
    const after = judge(series([...repeat(healthy, 4), outage, outage, ...repeat(healthy, 6)]));
    expect(after.verdict).toBe('promote');
    expect(after.slos.find((s) => s.name === 'error-rate')?.explanation).toMatch(
      /excluded as shared incidents/,
    );
  });

  it('explains inconclusive results with the requests still needed', () => {
    const v = judge(
      series([{ canaryRequests: 150, canaryErrors: 1, stableRequests: 1350, stableErrors: 3 }]),
    );
    expect(v.verdict).toBe('pause');
    const err = v.slos.find((s) => s.name === 'error-rate');
    expect(err?.status).toBe('inconclusive');
    expect(err?.explanation).toMatch(/more requests/);
  });
});

describe('data-quality guards', () => {
  it('pauses with no traffic', () => {
    const v = judge(
      series(repeat({ canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 }, 5)),
    );
    expect(v.verdict).toBe('pause');
    expect(v.slos.find((s) => s.name === 'error-rate')?.status).toBe('no-data');
    expect(judge({ now: 0, canary: [], stable: [] }).verdict).toBe('pause');
  });
  it('pauses on stale data', () => {
    const input = series(repeat(healthy, 10));
    expect(judge(input).verdict).toBe('promote');
    const v = judge({ ...input, now: input.now + 120 });
    expect(v.verdict).toBe('pause');
    expect(v.dataIssues.join(' ')).toMatch(/stale/);
  });
  it('pauses on a counter reset in the latest window, then recovers', () => {
    const input = series(repeat(healthy, 10));
    const t = input.now + 15;
    const reset: JudgeInput = {
      now: t,
      canary: [...input.canary, sample(t, 75, 0)],
      stable: [...input.stable, sample(t, 9999, 0)],
    };
    const v = judge(reset);
    expect(v.verdict).toBe('pause');
    expect(v.dataIssues.join(' ')).toMatch(/reset/);
  });
  it('pauses when stable data is missing and on invalid counters', () => {
    const input = series(repeat(healthy, 10));
    expect(judge({ ...input, stable: [] }).verdict).toBe('pause');
    const broken = { ...input, canary: [...input.canary.slice(0, -1), sample(input.now, 10, 20)] };
    expect(judge(broken).verdict).toBe('pause');
  });
  it('says in words that P95 ≤ 300 ms cannot be decided without a 300 ms bucket, and pauses when the brackets disagree', () => {
    // bounds without 0.3: 0.25 and 0.5; 12 % of requests are in (0.25, 0.5] → slow share is 0–12 %
    const bounds = [0.1, 0.25, 0.5, 1];
    const mk = (t: number, n: number): JudgeInput['canary'][number] => ({
      observedAt: t,
      requests: n,
      errors: 0,
      latencyBuckets: buckets([0.88 * n, 0, 0.12 * n, 0, 0], bounds),
    });
    const canary = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => mk(1000 + 15 * i, 100 * i));
    const stable = canary.map((s) => ({ ...s, requests: s.requests * 9, latencyBuckets: [] }));
    const v = judge({ now: 1120, canary, stable });
    const lat = v.slos.find((s) => s.name === 'latency-p95');
    expect(lat?.status).toBe('inconclusive');
    expect(lat?.explanation).toMatch(
      /^P95 ≤ 300 ms cannot be decided exactly: the histogram has no 300 ms bucket/,
    );
    expect(lat?.explanation).toMatch(/sidecar\.istio\.io\/statsHistogramBuckets/);
    expect(lat?.exactBoundary).toBe(false);
    expect(lat?.bracketMs).toEqual([250, 500]);
    expect(v.verdict).toBe('pause');
  });
  it('rejects an invalid config', () => {
    expect(() => judge(series(repeat(healthy, 2)), { alpha: 2 })).toThrow(RangeError);
  });
});
