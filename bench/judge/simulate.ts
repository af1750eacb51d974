/**
 * Per-scrape simulator: every 15 s, draw binomial request/error counts and multinomial latency-bucket counts
 * for canary and stable, and expose them as Prometheus-like cumulative counters (with optional nuisances).
 */
import type { VersionSample } from '../../lib/slo';
import { mulberry32, type Rng, sampleBinomial } from '../../lib/slo';
import {
  DEFAULT_BUCKETS,
  LATENCY_SIGMA,
  LATENCY_Z95,
  type LatencyModel,
  type Scenario,
  type VersionModel,
} from './scenarios';

export const SCRAPE_SECONDS = 15;
export const STEP_WEIGHTS = [0.1, 0.3, 0.6] as const;
export const STEP_SECONDS = 300;
export const HORIZON_SECONDS = STEP_SECONDS * STEP_WEIGHTS.length;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7; enough for a simulator). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Probability mass of each bucket (le_i−1, le_i] plus the +Inf overflow. */
export function bucketProbabilities(m: LatencyModel, bounds: readonly number[], extraMs = 0): number[] {
  const median = m.p95Ms / Math.exp(LATENCY_Z95 * LATENCY_SIGMA);
  const cdfBody = (ms: number) => (ms <= 0 ? 0 : normalCdf(Math.log(ms / median) / LATENCY_SIGMA));
  const cdf = (s: number) => {
    const ms = s * 1000 - extraMs;
    return (1 - m.tailShare) * cdfBody(ms) + m.tailShare * cdfBody(ms - m.tailAddMs);
  };
  const probs: number[] = [];
  let prev = 0;
  for (const b of bounds) {
    const c = cdf(b);
    probs.push(Math.max(0, c - prev));
    prev = c;
  }
  probs.push(Math.max(0, 1 - prev));
  return probs;
}

export function weightAt(t: number): number {
  const i = Math.min(STEP_WEIGHTS.length - 1, Math.floor(t / STEP_SECONDS));
  return STEP_WEIGHTS[i] ?? 1;
}

interface Cumulative {
  requests: number;
  errors: number;
  buckets: number[];
}

export interface Scrape {
  t: number;
  missed: boolean;
  weight: number;
  canary: VersionSample;
  stable: VersionSample;
  /** True increments in the window (ground truth for "bad requests served"). */
  canaryRequests: number;
  canaryBad: number;
}

export interface RunOptions {
  totalRps: number;
  seed: number;
}

const OUTAGE_SECONDS = 60;

export function simulateRun(s: Scenario, opts: RunOptions): Scrape[] {
  const rng = mulberry32(opts.seed);
  const bounds = s.buckets ?? DEFAULT_BUCKETS;
  const slowIndex = bounds.findIndex((b) => b > 0.3 - 1e-9);
  const probs = (m: VersionModel) => bucketProbabilities(m.latency, bounds);
  const pc = probs(s.canary);
  const ps = probs(s.stable);
  const outageStart = s.nuisances ? 60 + Math.floor(rng() * 600) : Number.POSITIVE_INFINITY;
  const cum = { canary: fresh(bounds.length), stable: fresh(bounds.length) };
  const scrapes: Scrape[] = [];
  for (let t = SCRAPE_SECONDS; t <= HORIZON_SECONDS; t += SCRAPE_SECONDS) {
    const w = weightAt(t - SCRAPE_SECONDS);
    const total = Math.round(opts.totalRps * SCRAPE_SECONDS);
    const nc = sampleBinomial(rng, total, w);
    const outage = t > outageStart && t - SCRAPE_SECONDS < outageStart + OUTAGE_SECONDS;
    const burst = (version: VersionModel) =>
      s.nuisances && rng() < 0.03 ? Math.min(1, version.errorRate * 10) : version.errorRate;
    const rate = (base: number) => (outage ? Math.max(base, 0.3) : base);
    const canaryErrors = sampleBinomial(rng, nc, rate(burst(s.canary)));
    const stableErrors = sampleBinomial(rng, total - nc, rate(burst(s.stable)));
    const cb = multinomial(rng, nc, pc);
    const sb = multinomial(rng, total - nc, ps);
    const slowC = cb.slice(slowIndex + 1).reduce((a, b) => a + b, 0);
    add(cum.canary, nc, canaryErrors, cb);
    add(cum.stable, total - nc, stableErrors, sb);
    if (s.nuisances && rng() < 0.01) cum.canary = resetTo(nc, canaryErrors, cb);
    if (s.nuisances && rng() < 0.01) cum.stable = resetTo(total - nc, stableErrors, sb);
    scrapes.push({
      t,
      missed: s.nuisances && rng() < 0.05,
      weight: w,
      canary: toSample(t, cum.canary, bounds),
      stable: toSample(t, cum.stable, bounds),
      canaryRequests: nc,
      canaryBad: canaryErrors + slowC,
    });
  }
  return scrapes;
}

function fresh(n: number): Cumulative {
  return { requests: 0, errors: 0, buckets: new Array<number>(n + 1).fill(0) };
}

/** A pod restart: the counters restart and only this window's increments are visible. */
function resetTo(requests: number, errors: number, buckets: readonly number[]): Cumulative {
  const c = fresh(buckets.length - 1);
  add(c, requests, errors, buckets);
  return c;
}

function add(c: Cumulative, requests: number, errors: number, buckets: readonly number[]) {
  c.requests += requests;
  c.errors += errors;
  buckets.forEach((x, i) => {
    c.buckets[i] = (c.buckets[i] ?? 0) + x;
  });
}

function toSample(t: number, c: Cumulative, bounds: readonly number[]): VersionSample {
  let running = 0;
  const latencyBuckets = c.buckets.map((x, i) => {
    running += x;
    return { le: bounds[i] ?? Number.POSITIVE_INFINITY, count: running };
  });
  return { observedAt: t, requests: c.requests, errors: c.errors, latencyBuckets };
}

function multinomial(rng: Rng, n: number, probs: readonly number[]): number[] {
  const out: number[] = [];
  let left = n;
  let mass = 1;
  for (const p of probs) {
    const x = mass > 0 && left > 0 ? sampleBinomial(rng, left, Math.min(1, p / mass)) : 0;
    out.push(x);
    left -= x;
    mass -= p;
  }
  const last = out.length - 1;
  out[last] = (out[last] ?? 0) + left;
  return out;
}
