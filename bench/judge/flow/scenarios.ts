/**
 * Scenarios of the deployed-flow bench (ids fixed by issue 12). Definitions (also in the README):
 * - healthy: 0.2 % errors, P95 200 ms (the stable version in every scenario);
 * - near-SLO: 0.8 % errors and P95 280 ms (inside both SLOs, close to them);
 * - on-SLO: errors exactly 1 % (the error SLO's boundary), P95 200 ms, with stable on the SLO too (else canary-vs-stable
 *   rolls the canary back and hides the promote test);
 * - bursts: each version's error rate is multiplied, per 15 s epoch and independently per version, by a mean-1
 *   gamma draw with the stated coefficient of variation;
 * - nuisances: bursts CV 0.5, ×10 error spikes in 3 % of epochs per version, 5 % missed scrapes per replica,
 *   with probability ½ a shared outage (both versions ≥ 30 % errors for 60 s) and with probability ½ a restart of
 *   one gateway replica (down 10 s, counters from zero).
 * Latency is lognormal (σ 0.5) recorded into Istio's default buckets (no 300 ms boundary) unless a scenario models
 * the `sidecar.istio.io/statsHistogramBuckets` annotation.
 */
import type { BucketSet } from './latency';
import type { Rng } from './random';
import type { Restart, VersionState, WorldOptions } from './world';

export type Truth = 'good' | 'bad' | 'on-slo';

export const HEALTHY: VersionState = { errorRate: 0.002, p95Ms: 200 };
export const NEAR_SLO: VersionState = { errorRate: 0.008, p95Ms: 280 };
export const ON_SLO: VersionState = { errorRate: 0.01, p95Ms: 200 };

export interface DeployedScenario {
  id: string;
  variant: string;
  truth: Truth;
  description: string;
  rps: readonly number[];
  buckets: BucketSet;
  /** Canary behaviour at time t (s from the canary's start) and the weight the gateways apply. */
  canary: (t: number, weight: number) => VersionState;
  /** The stable version: healthy unless stated. */
  stable?: VersionState;
  burstCv: number;
  nuisances: boolean;
  traffic: 'poisson' | 'ramp';
  /** Kind of paired disturbance: each seed is also run without it (the reference arm). */
  paired?: 'restart' | 'history' | 'relaunch';
}

const fixed = (v: VersionState) => () => v;
const ALL = [10, 50, 200] as const;
const pct = (x: number) => `${+(x * 100).toFixed(2)} %`;
const describeVersion = (v: VersionState) => `${pct(v.errorRate)} errors, P95 ${v.p95Ms} ms`;

export function deployedScenarios(): DeployedScenario[] {
  const base = {
    buckets: 'istio-default' as BucketSet,
    burstCv: 0,
    nuisances: false,
    traffic: 'poisson' as const,
  };
  const errors = (id: string, rate: number): DeployedScenario => ({
    ...base,
    id,
    variant: '',
    truth: 'bad',
    description: `canary ${describeVersion({ errorRate: rate, p95Ms: 200 })}`,
    rps: ALL,
    canary: fixed({ errorRate: rate, p95Ms: 200 }),
  });
  const bursty = (
    id: string,
    v: VersionState,
    cv: number,
    truth: Truth,
    stable = HEALTHY,
  ): DeployedScenario => ({
    ...base,
    id,
    variant: stable === HEALTHY ? '' : 'stable on-SLO too',
    truth,
    description: `canary ${describeVersion(v)}, stable ${describeVersion(stable)}, bursts CV ${cv} on both versions`,
    rps: ALL,
    canary: fixed(v),
    stable,
    burstCv: cv,
  });
  const late = (id: string, after: VersionState): DeployedScenario => ({
    ...base,
    id,
    variant: '',
    truth: 'bad',
    description: `canary healthy at 10 %, ${describeVersion(after)} at ≥ 30 % weight`,
    rps: ALL,
    canary: (_t, w) => (w >= 0.3 - 1e-9 ? after : HEALTHY),
  });
  const buckets = (id: string, set: BucketSet): DeployedScenario[] =>
    [
      { p95: 350, truth: 'bad' as Truth },
      { p95: 280, truth: 'good' as Truth },
    ].map(({ p95, truth }) => ({
      ...base,
      id,
      variant: `P95 ${p95} ms`,
      truth,
      description: `canary 0.2 % errors, P95 ${p95} ms; ${set === 'istio-default' ? "Istio's default buckets (…, 250, 500, … ms)" : 'buckets with the annotation adding 300 ms'}`,
      rps: [50, 200],
      buckets: set,
      canary: fixed({ errorRate: 0.002, p95Ms: p95 }),
    }));
  const paired = (id: string, kind: 'restart' | 'history', what: string): DeployedScenario[] =>
    [
      { name: 'healthy', v: HEALTHY, truth: 'good' as Truth },
      { name: '5 % errors', v: { errorRate: 0.05, p95Ms: 200 }, truth: 'bad' as Truth },
    ].map(({ name, v, truth }) => ({
      ...base,
      id,
      variant: name,
      truth,
      description: `canary ${describeVersion(v)}; ${what}`,
      rps: ALL,
      canary: fixed(v),
      paired: kind,
    }));
  return [
    {
      ...base,
      id: 'aa-nuisances',
      variant: '',
      truth: 'good',
      description: 'canary = stable (healthy) with nuisances',
      rps: ALL,
      canary: fixed(HEALTHY),
      burstCv: 0.5,
      nuisances: true,
    },
    bursty('near-slo-bursts-0.5', NEAR_SLO, 0.5, 'good'),
    bursty('near-slo-bursts-1.0', NEAR_SLO, 1.0, 'good'),
    // Stable sits on the SLO too: against a healthy stable the canary-vs-stable test rolls a 1 % canary back (5×
    // stable's rate) and would hide what the promote test does exactly at the boundary.
    bursty('on-slo-bursts-0.5', ON_SLO, 0.5, 'on-slo', ON_SLO),
    late('late-regression-errors', { errorRate: 0.03, p95Ms: 200 }),
    late('late-regression-p95', { errorRate: 0.002, p95Ms: 450 }),
    ...paired(
      'gateway-restart',
      'restart',
      'one of the two gateway replicas restarts 20–240 s into the canary',
    ),
    ...buckets('istio-default-buckets', 'istio-default'),
    ...buckets('istio-annotated-buckets', 'istio-annotated'),
    ...paired(
      'reused-service',
      'history',
      "the canary service's series already hold a failed revision's traffic (≈3,000 requests, 10 % errors)",
    ),
    {
      ...base,
      id: 'relaunch-previous',
      variant: '',
      truth: 'good',
      description:
        'the previous (healthy) version relaunched 5–60 s after a canary with 10 % errors was aborted (30–120 s at 10 %)',
      rps: ALL,
      canary: (t) => (t < 0 ? { errorRate: 0.1, p95Ms: 200 } : HEALTHY),
      paired: 'relaunch',
    },
    {
      ...base,
      id: 'healthy-10rps',
      variant: 'poisson',
      truth: 'good',
      description: 'healthy canary, 10 rps total',
      rps: [10],
      canary: fixed(HEALTHY),
    },
    {
      ...base,
      id: 'healthy-10rps',
      variant: 'ramp 10→5 rps',
      truth: 'good',
      description: 'healthy canary; traffic falls from 10 to 5 rps over 30 min (evening ramp)',
      rps: [10],
      canary: fixed(HEALTHY),
      traffic: 'ramp',
    },
    errors('errors-2pct', 0.02),
    errors('errors-5pct', 0.05),
    errors('errors-100pct', 1),
  ];
}

const pick = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

/**
 * World options for one run of a scenario. `disturbed` false gives the reference arm of a paired scenario (the same
 * seed without the restart, the history or the failed canary before the relaunch).
 */
export function worldOptions(
  s: DeployedScenario,
  totalRps: number,
  scrapeSeconds: number,
  seed: number,
  boundsMs: readonly number[],
  rng: Rng,
  disturbed = true,
): { options: WorldOptions; before: { at: number; weight: number }[] } {
  const nuisance = s.nuisances;
  const outage = nuisance && rng() < 0.5 ? pick(rng, 30, 600) : null;
  const restartAt =
    s.paired === 'restart' ? pick(rng, 20, 240) : nuisance && rng() < 0.5 ? pick(rng, 20, 600) : null;
  const replica = pick(rng, 0, 1);
  const restart: Restart | null =
    restartAt !== null && (s.paired !== 'restart' || disturbed)
      ? { replica, at: restartAt, downSeconds: 10 }
      : null;
  const badFor = pick(rng, 30, 120);
  const gap = pick(rng, 5, 60);
  const relaunch = s.paired === 'relaunch' && disturbed;
  const before = relaunch
    ? [
        { at: -(badFor + gap), weight: 0.1 },
        { at: -gap, weight: 0 },
      ]
    : [];
  const startTime = -(60 + (relaunch ? badFor + gap : 0));
  const history =
    s.paired === 'history' && disturbed
      ? [0, 1].map(() => ({ ok: 1350, errors: 150, p95Ms: 200 }))
      : undefined;
  const rateAt =
    s.traffic === 'ramp'
      ? (t: number) => totalRps * (1 - 0.5 * Math.min(1, Math.max(0, t) / 1800))
      : () => totalRps;
  return {
    options: {
      seed,
      rateAt,
      scrapeSeconds,
      boundsMs,
      canary: s.canary,
      stable: s.stable ?? HEALTHY,
      burstCv: s.burstCv,
      spikes: nuisance,
      missedScrapeRate: nuisance ? 0.05 : 0,
      outage: outage === null ? null : { start: outage, end: outage + 60 },
      restart,
      startTime,
      ...(history ? { canaryHistory: history } : {}),
    },
    before,
  };
}
