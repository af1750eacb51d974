/** Builders for judge tests (test-only helpers). */
import type { JudgeInput, LatencyBucket, VersionSample } from './types';

export const BOUNDS = [0.05, 0.1, 0.2, 0.3, 0.5, 1] as const;

/** Cumulative buckets from per-bucket counts over BOUNDS plus +Inf (counts.length = BOUNDS.length + 1). */
export function buckets(perBucket: readonly number[], bounds: readonly number[] = BOUNDS): LatencyBucket[] {
  let running = 0;
  return perBucket.map((c, i) => {
    running += c;
    return { le: bounds[i] ?? Number.POSITIVE_INFINITY, count: running };
  });
}

/** A sample with `slow` requests above 300 ms (in the 0.5 s bucket) and the rest at 100 ms. */
export function sample(observedAt: number, requests: number, errors: number, slow = 0): VersionSample {
  return { observedAt, requests, errors, latencyBuckets: buckets([0, requests - slow, 0, 0, slow, 0, 0]) };
}

export interface Step {
  canaryRequests: number;
  canaryErrors: number;
  canarySlow?: number;
  stableRequests: number;
  stableErrors: number;
}

/** Cumulative series from per-window increments, one scrape every 15 s starting at t0 + 15. */
export function series(steps: readonly Step[], t0 = 1000): JudgeInput {
  const canary: VersionSample[] = [];
  const stable: VersionSample[] = [];
  let cr = 0;
  let ce = 0;
  let cs = 0;
  let sr = 0;
  let se = 0;
  steps.forEach((s, i) => {
    cr += s.canaryRequests;
    ce += s.canaryErrors;
    cs += s.canarySlow ?? 0;
    sr += s.stableRequests;
    se += s.stableErrors;
    const t = t0 + 15 * (i + 1);
    canary.push(sample(t, cr, ce, cs));
    stable.push(sample(t, sr, se, 0));
  });
  return { now: t0 + 15 * steps.length, canary, stable };
}

export function repeat(step: Step, times: number): Step[] {
  return Array.from({ length: times }, () => step);
}
