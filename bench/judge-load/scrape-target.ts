/**
 * The ingress gateway replicas of the fleet, as Prometheus sees them: one HTTP server per replica on 127.0.0.1
 * serving `/stats/prometheus` with Istio's standard `istio_requests_total` and `istio_request_duration_milliseconds`
 * (reporter="source", the full standard label set, the buckets of fleet.ts) for the stable and canary services of
 * every rollout. Counters grow at each scrape by random draws (Poisson arrivals, bursty 503s, log-normal latencies)
 * following the fleet's traffic split over time; they carry the counts the replica served before T0 (the stable
 * service, and earlier releases on a reused canary service), and a replica can restart (counters back to zero,
 * series gone until their next request), as an Envoy process does.
 *
 *   node --import tsx bench/judge-load/scrape-target.ts '<TargetConfig JSON>'
 * prints one line `{"ready":true,"urls":[...]}` and serves until SIGTERM.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BUCKETS_MS,
  type FleetOptions,
  fleetPlan,
  prng,
  type RolloutPlan,
  type VersionProfile,
  weightAt,
} from './fleet';

export interface TargetConfig {
  fleet: FleetOptions;
  /** Unix ms when the canaries' traffic starts. */
  t0: number;
  replicas: number;
  /** Replica `replica` (0-based) restarts `atSeconds` after T0. */
  restart: { replica: number; atSeconds: number } | null;
  host: string;
}

interface SeriesState {
  labels: string;
  live: boolean;
  count: number;
  sum: number;
  /** Non-cumulative counts per bucket; the last one is +Inf. */
  buckets: Float64Array;
}

interface ServiceState {
  rollout: number;
  canary: boolean;
  profile: VersionProfile;
  /** Probability of each bucket (non-cumulative, last = +Inf). */
  probs: Float64Array;
  ok: SeriesState;
  err: SeriesState;
}

const B = BUCKETS_MS.length;

/** erf, Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): enough for bucket probabilities. */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}

function bucketProbs(p: VersionProfile): Float64Array {
  const cdf = (ms: number) => 0.5 * (1 + erf((Math.log(ms) - Math.log(p.medianMs)) / (p.sigma * Math.SQRT2)));
  const out = new Float64Array(B + 1);
  let prev = 0;
  for (let i = 0; i < B; i++) {
    const c = cdf(BUCKETS_MS[i] as number);
    out[i] = Math.max(0, c - prev);
    prev = c;
  }
  out[B] = Math.max(0, 1 - prev);
  return out;
}

class Draws {
  constructor(private readonly u: () => number) {}
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.u())) * Math.cos(2 * Math.PI * this.u());
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    for (;;) {
      p *= this.u();
      if (p <= l) return k;
      k++;
    }
  }
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n < 40) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.u() < p) k++;
      return k;
    }
    const mean = n * p;
    if (mean < 10) return Math.min(n, this.poisson(mean));
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * this.normal())));
  }
  /** Gamma with mean 1 and shape k (coefficient of variation 1/sqrt(k)), Marsaglia–Tsang. */
  gammaMean1(k: number): number {
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(this.u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / k;
    }
  }
}

/** The standard Istio labels of requests the ingress gateway sends to `service` (reporter="source"). */
function istioLabels(ns: string, service: string, app: string, code: string): string {
  const l: Array<[string, string]> = [
    ['reporter', 'source'],
    ['source_workload', 'istio-ingressgateway'],
    ['source_workload_namespace', 'istio-system'],
    ['source_principal', 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'],
    ['source_app', 'istio-ingressgateway'],
    ['source_version', 'unknown'],
    ['source_canonical_service', 'istio-ingressgateway'],
    ['source_canonical_revision', 'latest'],
    ['source_cluster', 'Kubernetes'],
    ['destination_workload', app],
    ['destination_workload_namespace', ns],
    ['destination_principal', `spiffe://cluster.local/ns/${ns}/sa/default`],
    ['destination_app', app],
    ['destination_version', 'unknown'],
    ['destination_service', `${service}.${ns}.svc.cluster.local`],
    ['destination_service_name', service],
    ['destination_service_namespace', ns],
    ['destination_canonical_service', app],
    ['destination_canonical_revision', 'latest'],
    ['destination_cluster', 'Kubernetes'],
    ['request_protocol', 'http'],
    ['response_code', code],
    ['grpc_response_status', ''],
    ['response_flags', code === '503' ? 'URX' : '-'],
    ['connection_security_policy', 'unknown'],
  ];
  return l.map(([k, v]) => `${k}="${v}"`).join(',');
}

class Replica {
  private services: ServiceState[] = [];
  private last: number;
  private restarted = false;
  private readonly d: Draws;
  private readonly plans: RolloutPlan[];

  constructor(
    private readonly cfg: TargetConfig,
    private readonly id: number,
    /** Seconds this replica has been up at T0. */
    uptimeSeconds: number,
  ) {
    this.d = new Draws(prng(cfg.fleet.seed * 7919 + id));
    this.last = cfg.t0;
    this.plans = fleetPlan(cfg.fleet);
    for (const plan of this.plans) {
      for (const canary of [false, true]) {
        const profile = canary ? plan.canary : plan.stable;
        const service = canary ? plan.canaryService : plan.stableService;
        const mk = (code: string): SeriesState => ({
          labels: istioLabels(plan.namespace, service, plan.name, code),
          live: false,
          count: 0,
          sum: 0,
          buckets: new Float64Array(B + 1),
        });
        const s: ServiceState = {
          rollout: plan.index,
          canary,
          profile,
          probs: bucketProbs(profile),
          ok: mk('200'),
          err: mk('503'),
        };
        // What the replica served before T0: all of the app's traffic on stable; earlier releases' canaries
        // (20 % for 15 min, with the stable profile) on a reused canary service.
        const before = canary
          ? plan.reusedCanaryService
            ? (plan.rps * 0.2 * 900) / cfg.replicas
            : 0
          : (plan.rps * uptimeSeconds) / cfg.replicas;
        if (before > 0) {
          const stableProbs = canary ? bucketProbs(plan.stable) : s.probs;
          this.addExpected(s.ok, before * (1 - plan.stable.errorRate), stableProbs, plan.stable);
          this.addExpected(s.err, before * plan.stable.errorRate, stableProbs, plan.stable);
        }
        this.services.push(s);
      }
    }
  }

  private addExpected(s: SeriesState, n: number, probs: Float64Array, p: VersionProfile): void {
    const k = Math.round(n);
    if (k <= 0) return;
    s.live = true;
    s.count += k;
    s.sum += k * p.medianMs * Math.exp((p.sigma * p.sigma) / 2);
    for (let i = 0; i <= B; i++) s.buckets[i] = (s.buckets[i] ?? 0) + Math.round(k * (probs[i] ?? 0));
    // Rounding must not make the buckets disagree with the count.
    let total = 0;
    for (let i = 0; i <= B; i++) total += s.buckets[i] ?? 0;
    s.buckets[B] = (s.buckets[B] ?? 0) + (k - total);
    if ((s.buckets[B] ?? 0) < 0) s.buckets[B] = 0;
  }

  private add(s: SeriesState, k: number, svc: ServiceState): void {
    if (k <= 0) return;
    s.live = true;
    s.count += k;
    const p = svc.profile;
    if (k <= 30) {
      for (let j = 0; j < k; j++) {
        const ms = p.medianMs * Math.exp(p.sigma * this.d.normal());
        s.sum += ms;
        let i = 0;
        while (i < B && ms > (BUCKETS_MS[i] as number)) i++;
        s.buckets[i] = (s.buckets[i] ?? 0) + 1;
      }
      return;
    }
    // Multinomial by sequential binomials.
    let left = k;
    let mass = 1;
    for (let i = 0; i <= B && left > 0; i++) {
      const pi = svc.probs[i] ?? 0;
      const c = i === B ? left : this.d.binomial(left, mass > 0 ? Math.min(1, pi / mass) : 0);
      s.buckets[i] = (s.buckets[i] ?? 0) + c;
      left -= c;
      mass -= pi;
    }
    const mean = p.medianMs * Math.exp((p.sigma * p.sigma) / 2);
    s.sum += k * mean * Math.max(0.5, 1 + (0.7 * this.d.normal()) / Math.sqrt(k));
  }

  /** Advances the counters to `now` (unix ms). */
  update(now: number): void {
    const r = this.cfg.restart;
    if (r && r.replica === this.id && !this.restarted && now >= this.cfg.t0 + r.atSeconds * 1000) {
      this.restarted = true;
      for (const s of this.services) {
        for (const x of [s.ok, s.err]) {
          x.live = false;
          x.count = 0;
          x.sum = 0;
          x.buckets.fill(0);
        }
      }
      this.last = Math.max(this.last, this.cfg.t0 + r.atSeconds * 1000);
    }
    if (now <= this.last) return;
    const dt = (now - this.last) / 1000;
    const mid = ((this.last + now) / 2 - this.cfg.t0) / 1000;
    this.last = now;
    const plans = this.plans;
    for (const s of this.services) {
      const plan = plans[s.rollout];
      if (!plan) continue;
      const w = weightAt(plan, mid) / 100;
      const rate = (plan.rps * (s.canary ? w : 1 - w)) / this.cfg.replicas;
      const n = this.d.poisson(rate * dt);
      if (n === 0) continue;
      // 503s come in bursts: the error rate of each scrape interval varies (gamma, CV 0.5).
      const pErr = Math.min(1, s.profile.errorRate * this.d.gammaMean1(4));
      const e = this.d.binomial(n, pErr);
      this.add(s.ok, n - e, s);
      this.add(s.err, e, s);
    }
  }

  render(): string {
    const out: string[] = [
      '# TYPE istio_requests_total counter',
      ...this.services.flatMap((s) =>
        [s.ok, s.err].filter((x) => x.live).map((x) => `istio_requests_total{${x.labels}} ${x.count}`),
      ),
      '# TYPE istio_request_duration_milliseconds histogram',
    ];
    for (const s of this.services) {
      for (const x of [s.ok, s.err]) {
        if (!x.live) continue;
        let cum = 0;
        for (let i = 0; i < B; i++) {
          cum += x.buckets[i] ?? 0;
          out.push(`istio_request_duration_milliseconds_bucket{${x.labels},le="${BUCKETS_MS[i]}"} ${cum}`);
        }
        out.push(`istio_request_duration_milliseconds_bucket{${x.labels},le="+Inf"} ${x.count}`);
        out.push(`istio_request_duration_milliseconds_sum{${x.labels}} ${x.sum.toFixed(1)}`);
        out.push(`istio_request_duration_milliseconds_count{${x.labels}} ${x.count}`);
      }
    }
    out.push('');
    return out.join('\n');
  }
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as TargetConfig;
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let id = 0; id < cfg.replicas; id++) {
    // Replica 0 has been up for 3 days, the others for 1 day (their stable counters carry it).
    const replica = new Replica(cfg, id, id === 0 ? 3 * 86400 : 86400);
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/stats/prometheus')) {
        replica.update(Date.now());
        const body = replica.render();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(body);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, cfg.host, resolve));
    const port = (server.address() as AddressInfo).port;
    servers.push(server);
    urls.push(`http://${cfg.host}:${port}/stats/prometheus`);
  }
  const stop = () => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(JSON.stringify({ ready: true, urls }));
}

main().catch((err: unknown) => {
  console.error(`scrape target: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
