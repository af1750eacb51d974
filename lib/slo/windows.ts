/**
 * Turn cumulative scrapes into per-window increments, pairing canary and stable scrapes by timestamp,
 * handling counter resets like PromQL `increase()` and collecting data-quality issues.
 */
import { slowCount } from './histogram';
import type { VersionSample } from './types';

const PAIR_TOLERANCE_SECONDS = 1;

export interface Counts {
  requests: number;
  errors: number;
  /** Histogram total (requests with a latency observation). */
  latencyTotal: number;
  /** Lower / upper bound of requests slower than the latency threshold. */
  slowLow: number;
  slowHigh: number;
}

export interface PairedWindow {
  /** Unix seconds: the previous scrape (for the first window: where the evidence starts, or −∞ when unknown). */
  start: number;
  end: number;
  canary: Counts;
  stable: Counts;
}

export interface PreparedData {
  windows: PairedWindow[];
  issues: string[];
  /** Whether the latency threshold is an exact bucket boundary in the newest canary scrape. */
  exactBoundary: boolean;
  hasLatency: boolean;
}

const ZERO: Counts = { requests: 0, errors: 0, latencyTotal: 0, slowLow: 0, slowHigh: 0 };

function toCounts(s: VersionSample, thresholdSeconds: number): Counts {
  if (s.latencyBuckets.length === 0) return { ...ZERO, requests: s.requests, errors: s.errors };
  const slow = slowCount(s.latencyBuckets, thresholdSeconds, s.requests);
  return {
    requests: s.requests,
    errors: s.errors,
    latencyTotal: slow.total,
    slowLow: slow.low,
    slowHigh: slow.high,
  };
}

const KEYS = ['requests', 'errors', 'latencyTotal', 'slowLow', 'slowHigh'] as const;

/** Increment from prev to cur; a decrease of any counter means the process restarted (counters reset). */
function increment(prev: Counts, cur: Counts): { counts: Counts; reset: boolean } {
  const reset = KEYS.some((k) => cur[k] < prev[k]);
  if (reset) return { counts: cur, reset };
  return {
    counts: {
      requests: cur.requests - prev.requests,
      errors: cur.errors - prev.errors,
      latencyTotal: cur.latencyTotal - prev.latencyTotal,
      slowLow: cur.slowLow - prev.slowLow,
      slowHigh: cur.slowHigh - prev.slowHigh,
    },
    reset,
  };
}

function pairs(canary: readonly VersionSample[], stable: readonly VersionSample[]) {
  const out: { c: VersionSample; s: VersionSample }[] = [];
  let j = 0;
  for (const c of canary) {
    while (j < stable.length && (stable[j]?.observedAt ?? 0) < c.observedAt - PAIR_TOLERANCE_SECONDS) j++;
    const s = stable[j];
    if (s && Math.abs(s.observedAt - c.observedAt) <= PAIR_TOLERANCE_SECONDS) out.push({ c, s });
  }
  return out;
}

export function prepareWindows(
  canary: readonly VersionSample[],
  stable: readonly VersionSample[],
  now: number,
  thresholdSeconds: number,
  stalenessSeconds: number,
  firstStart = Number.NEGATIVE_INFINITY,
  newestSampleAt?: number,
): PreparedData {
  const issues: string[] = [];
  const last = canary.at(-1);
  if (!last) issues.push('no canary scrapes yet');
  if (stable.length === 0) issues.push('no stable scrapes (needed to separate shared incidents)');
  const newest = newestSampleAt ?? last?.observedAt;
  if (last && newest !== undefined && now - newest > stalenessSeconds) {
    issues.push(
      `stale data: the newest canary sample is ${Math.round(now - newest)} s old (limit ${stalenessSeconds} s)`,
    );
  }
  const valid = (s: VersionSample) =>
    s.requests >= 0 && s.errors >= 0 && s.errors <= s.requests && Number.isFinite(s.requests);
  const invalid = [...canary, ...stable].some((s) => !valid(s));
  if (invalid) issues.push('invalid counters (negative, non-finite or more errors than requests)');
  // An invalid scrape carries no evidence: it is left out, and the next valid one closes a longer window.
  const matched = pairs(canary.filter(valid), stable.filter(valid));
  if (last && stable.length > 0 && matched.length === 0)
    issues.push('no canary scrape has a stable scrape at the same time');
  const windows: PairedWindow[] = [];
  let prevC = ZERO;
  let prevS = ZERO;
  let start = firstStart;
  matched.forEach(({ c, s }, i) => {
    const curC = toCounts(c, thresholdSeconds);
    const curS = toCounts(s, thresholdSeconds);
    const dc = increment(prevC, curC);
    const ds = increment(prevS, curS);
    if ((dc.reset || ds.reset) && i === matched.length - 1) {
      issues.push(
        `counter reset detected in the latest window (${dc.reset ? 'canary' : 'stable'} counters went down)`,
      );
    }
    windows.push({ start, end: c.observedAt, canary: dc.counts, stable: ds.counts });
    start = c.observedAt;
    prevC = curC;
    prevS = curS;
  });
  const hasLatency = last !== undefined && last.latencyBuckets.length > 0;
  if (last && !hasLatency) issues.push('canary latency histogram missing');
  const exactBoundary = last ? slowCount(last.latencyBuckets, thresholdSeconds, last.requests).exact : false;
  return { windows, issues, exactBoundary, hasLatency };
}
