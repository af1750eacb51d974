/**
 * The fleet of `bench:judge-load`: N Rollouts, each with a canary in progress, described once and deterministically
 * (a seed), so the kube seeder (run.ts / seed.ts) and the scrape target (scrape-target.ts, a separate process) agree on
 * names, hashes, weights and when each canary moves to its next step, without talking to each other.
 *
 * Timeline, in seconds after T0 (when the canaries' traffic starts, right after the kube objects are created):
 *   every rollout starts at step 1 (setWeight 10, then the step-1 analysis);
 *   group 1 (index % 3 == 1) moves to step 3 (setWeight 30) at 20–50 % of the history;
 *   group 2 moves to step 3 at 15–30 % and to step 5 (setWeight 60) at 40–70 %;
 *   group 0 stays at step 1.
 */

export const STEPS = [
  { setWeight: 10 },
  { analysis: { templates: [{ templateName: 'slo-judge' }] } },
  { setWeight: 30 },
  { analysis: { templates: [{ templateName: 'slo-judge' }] } },
  { setWeight: 60 },
  { analysis: { templates: [{ templateName: 'slo-judge' }] } },
] as const;

/**
 * Istio's default `istio_request_duration_milliseconds` buckets (proxy stats at the pinned tag), with 300 added as
 * the kind manifests do through `sidecar.istio.io/statsHistogramBuckets` on the ingress gateway, so the
 * default P95 <= 300 ms SLO sits on a boundary.
 */
export const BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 300, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

export interface StepChange {
  /** The analysis step's index in STEPS (1, 3 or 5). */
  stepIndex: number;
  weight: number;
  /** Seconds after T0. */
  at: number;
}

export interface VersionProfile {
  /** Mean share of requests answered 503. */
  errorRate: number;
  /** Log-normal latency: median (ms) and sigma of ln(ms). */
  medianMs: number;
  sigma: number;
}

export interface RolloutPlan {
  index: number;
  namespace: string;
  name: string;
  canaryService: string;
  stableService: string;
  stableHash: string;
  canaryHash: string;
  /** The canary's revision (the stable one is revision - 1). */
  revision: number;
  /** Requests per second at the gateway for this app (stable + canary). */
  rps: number;
  stable: VersionProfile;
  canary: VersionProfile;
  /** Kind of canary, for the report: most are healthy, a few are near the SLO or bad. */
  health: 'healthy' | 'near-slo' | 'errors' | 'slow';
  /** The canary service served earlier releases (its series exist at the gateway before T0 with old counts). */
  reusedCanaryService: boolean;
  /** Step 1 at 0, then each step change, ascending. */
  steps: StepChange[];
}

export interface FleetOptions {
  rollouts: number;
  namespaces: number;
  /** History in seconds: the canaries' age when the measurement starts (step changes are spread over it). */
  historySeconds: number;
  seed: number;
}

/** mulberry32: a small deterministic PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The alphabet of Kubernetes' SafeEncodeString, which Argo uses for pod-template hashes. */
const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function podHash(rand: () => number): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += HASH_ALPHABET[Math.floor(rand() * HASH_ALPHABET.length)];
  return s;
}

export const namespaceName = (i: number): string => `fleet-${String(i).padStart(2, '0')}`;

export function fleetPlan(o: FleetOptions): RolloutPlan[] {
  const rand = prng(o.seed);
  const plans: RolloutPlan[] = [];
  const H = o.historySeconds;
  for (let i = 0; i < o.rollouts; i++) {
    const name = `app-${String(i).padStart(4, '0')}`;
    // 2..50 requests/s per app, log-uniform (a fleet has many small services and a few big ones).
    const rps = 2 * 25 ** rand();
    const stable: VersionProfile = { errorRate: 0.001, medianMs: 40 + 40 * rand(), sigma: 0.6 };
    const u = rand();
    const health: RolloutPlan['health'] =
      u < 0.85 ? 'healthy' : u < 0.93 ? 'near-slo' : u < 0.97 ? 'errors' : 'slow';
    const canary: VersionProfile =
      health === 'healthy'
        ? { ...stable, medianMs: stable.medianMs * (0.9 + 0.2 * rand()) }
        : health === 'near-slo'
          ? { ...stable, errorRate: 0.008 }
          : health === 'errors'
            ? { ...stable, errorRate: 0.05 }
            : { ...stable, medianMs: 160 };
    const group = i % 3;
    const steps: StepChange[] = [{ stepIndex: 1, weight: 10, at: 0 }];
    if (group === 1) steps.push({ stepIndex: 3, weight: 30, at: Math.round(H * (0.2 + 0.3 * rand())) });
    if (group === 2) {
      steps.push({ stepIndex: 3, weight: 30, at: Math.round(H * (0.15 + 0.15 * rand())) });
      steps.push({ stepIndex: 5, weight: 60, at: Math.round(H * (0.4 + 0.3 * rand())) });
    }
    plans.push({
      index: i,
      namespace: namespaceName(i % o.namespaces),
      name,
      canaryService: `${name}-canary`,
      stableService: `${name}-stable`,
      stableHash: podHash(rand),
      canaryHash: podHash(rand),
      revision: 2 + Math.floor(rand() * 20),
      rps,
      stable,
      canary,
      health,
      reusedCanaryService: rand() < 0.7,
      steps,
    });
  }
  return plans;
}

/** The canary's weight (0–100) `t` seconds after T0 (0 before T0). */
export function weightAt(plan: RolloutPlan, t: number): number {
  if (t < 0) return 0;
  let w = 0;
  for (const s of plan.steps) if (s.at <= t) w = s.weight;
  return w;
}

/** The step the rollout is at `t` seconds after T0. */
export function stepAt(plan: RolloutPlan, t: number): StepChange {
  let cur = plan.steps[0] as StepChange;
  for (const s of plan.steps) if (s.at <= t) cur = s;
  return cur;
}
