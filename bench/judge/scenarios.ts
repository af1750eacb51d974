/** Bench scenarios: per-version error rate and latency model. */

export interface LatencyModel {
  /** P95 of the lognormal body (ms); σ = 0.5 so the median is p95 / e^(1.645·0.5). */
  p95Ms: number;
  /** Share of requests that get `tailAddMs` extra latency. */
  tailShare: number;
  tailAddMs: number;
}

export interface VersionModel {
  errorRate: number;
  latency: LatencyModel;
}

export interface Scenario {
  name: string;
  canary: VersionModel;
  stable: VersionModel;
  nuisances: boolean;
  /** True when every SLO holds and the canary is no worse than stable: ROLLBACK is a false alarm. */
  healthy: boolean;
  /** Alternative for the "samples over SPRT bound" ratio and the oracle SPRT: the count, its p0, the true p1. */
  sprt?: { on: 'errors' | 'slow'; p0: number; p1: number };
  /** Histogram bucket boundaries in seconds (+Inf implied). */
  buckets?: readonly number[];
}

export const DEFAULT_BUCKETS = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5] as const;
export const NO_300MS_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

const SIGMA = 0.5;
const Z95 = 1.6448536269514722;

export const STABLE_LATENCY: LatencyModel = { p95Ms: 200, tailShare: 0, tailAddMs: 0 };
const stable: VersionModel = { errorRate: 0.002, latency: STABLE_LATENCY };

/** P(latency > x ms) under a latency model (used for SPRT p1 of latency scenarios). */
export function slowShare(m: LatencyModel, thresholdMs: number, normalCdf: (z: number) => number): number {
  const median = m.p95Ms / Math.exp(Z95 * SIGMA);
  const body = (x: number) => (x <= 0 ? 1 : 1 - normalCdf(Math.log(x / median) / SIGMA));
  return (1 - m.tailShare) * body(thresholdMs) + m.tailShare * body(thresholdMs - m.tailAddMs);
}

export const LATENCY_SIGMA = SIGMA;
export const LATENCY_Z95 = Z95;

const lat = (p95Ms: number): LatencyModel => ({ p95Ms, tailShare: 0, tailAddMs: 0 });

export function buildScenarios(normalCdf: (z: number) => number): Scenario[] {
  const errors = (rate: number): Scenario => ({
    name: `errors ${rate * 100}%`,
    canary: { errorRate: rate, latency: STABLE_LATENCY },
    stable,
    nuisances: false,
    healthy: false,
    sprt: { on: 'errors', p0: 0.01, p1: rate },
  });
  const latency = (p95: number): Scenario => ({
    name: `P95 ${p95} ms`,
    canary: { errorRate: 0.002, latency: lat(p95) },
    stable,
    nuisances: false,
    healthy: false,
    sprt: { on: 'slow', p0: 0.05, p1: slowShare(lat(p95), 300, normalCdf) },
  });
  const tail: LatencyModel = { p95Ms: 200, tailShare: 0.05, tailAddMs: 1000 };
  return [
    { name: 'A/A 0.2%', canary: stable, stable, nuisances: false, healthy: true },
    { name: 'A/A 0.2% + nuisances', canary: stable, stable, nuisances: true, healthy: true },
    {
      name: 'near-SLO 0.8%, P95 280',
      canary: { errorRate: 0.008, latency: lat(280) },
      stable: { errorRate: 0.008, latency: lat(280) },
      nuisances: false,
      healthy: true,
    },
    errors(0.02),
    errors(0.05),
    errors(0.2),
    errors(1),
    latency(350),
    latency(500),
    latency(1000),
    { ...latency(350), name: 'P95 350 ms, no 300 ms bucket', buckets: NO_300MS_BUCKETS },
    {
      name: 'tail-only +1 s on 5%',
      canary: { errorRate: 0.002, latency: tail },
      stable,
      nuisances: false,
      healthy: false,
      sprt: { on: 'slow', p0: 0.05, p1: slowShare(tail, 300, normalCdf) },
    },
    {
      name: 'relative 0.1% → 0.5%',
      canary: { errorRate: 0.005, latency: STABLE_LATENCY },
      stable: { errorRate: 0.001, latency: STABLE_LATENCY },
      nuisances: false,
      healthy: false,
    },
  ];
}
