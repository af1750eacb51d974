/**
 * The simulated data plane and Prometheus of the deployed flow, on a 1 s clock:
 * - Poisson request arrivals at the total rate, each request routed to the canary with the weight the ingress
 *   gateways currently apply, and to one of TWO gateway replicas (half each; all to the other while one restarts).
 * - Per request: a 5xx with the version's error rate (times a per-15 s-epoch gamma burst drawn independently per
 *   version, optional ×10 spikes and a shared outage), and a lognormal latency recorded into Istio's histogram.
 * - Each replica keeps Prometheus-style cumulative counters per version (per series: 2xx, 5xx, one per `le`); a
 *   restart sets them back to zero. Prometheus scrapes each replica every `scrapeSeconds` with its own offset and
 *   occasionally misses a scrape.
 * Draws come from named streams and every tick draws the same numbers whatever happened before (a restart only
 * moves counts between replicas), so two arms of a paired comparison see the same requests.
 */
import { bucketProbabilities } from './latency';
import { burstMultiplier, poisson, type Rng, Streams, sampleBinomial } from './random';

export type VersionName = 'canary' | 'stable';
export const VERSIONS: readonly VersionName[] = ['canary', 'stable'];
export const REPLICAS = 2;
/** Bursts and spikes are drawn per epoch of this length, whatever the scrape interval. */
export const BURST_EPOCH_SECONDS = 15;
export const SPIKE_PROBABILITY = 0.03;
export const SPIKE_FACTOR = 10;
export const OUTAGE_ERROR_RATE = 0.3;

export interface VersionState {
  errorRate: number;
  p95Ms: number;
}

export interface Restart {
  replica: number;
  /** The process dies at `at`; the new one serves (counters from zero) from `at + downSeconds`. */
  at: number;
  downSeconds: number;
}

export interface WorldOptions {
  seed: number;
  /** Total request rate (all versions) at time t, requests per second. */
  rateAt: (t: number) => number;
  scrapeSeconds: number;
  boundsMs: readonly number[];
  canary: (t: number, weight: number) => VersionState;
  stable: VersionState;
  burstCv: number;
  spikes: boolean;
  missedScrapeRate: number;
  outage: { start: number; end: number } | null;
  restart: Restart | null;
  /** First simulated second (warm-up before the canary starts at t = 0). */
  startTime: number;
  /** Counter values per replica of the canary service before the simulation (a previous revision's traffic). */
  canaryHistory?: { ok: number; errors: number; p95Ms: number }[];
}

/**
 * Per version, the series of one replica as Prometheus stores them: [2xx, 5xx, bucket le_0 … le_(n−1) (cumulative),
 * +Inf]. A 5xx series exists once its first 5xx was counted; the others once the version served a request.
 */
export interface Layout {
  bounds: readonly number[];
  /** Values per version. */
  size: number;
}

export const OK = 0;
export const ERR = 1;
export const FIRST_BUCKET = 2;

export function layoutOf(boundsMs: readonly number[]): Layout {
  return { bounds: boundsMs, size: boundsMs.length + 3 };
}

export const offsetOf = (layout: Layout, v: VersionName) => (v === 'canary' ? 0 : layout.size);

export interface Scrape {
  t: number;
  /** Raw counter values, canary then stable. */
  raw: Float64Array;
}

export class World {
  readonly layout: Layout;
  /** Successful scrapes per replica, oldest first. */
  readonly scrapes: Scrape[][] = [];
  /** Times of failed scrapes per replica (Prometheus marks the target's series stale there), oldest first. */
  readonly failedScrapes: number[][] = [];
  t: number;
  weight = 0;
  private readonly streams: Streams;
  private readonly counters: Float64Array[] = [];
  private readonly perBucket: Float64Array[] = [];
  private readonly scrapeOffset: number[] = [];
  private readonly weightChanges: { at: number; weight: number }[] = [];
  private readonly probs = new Map<number, { p: Float64Array; cells: number[] }>();
  private epoch = Number.NaN;
  private readonly epochRate: Record<VersionName, number> = { canary: 0, stable: 0 };
  private downUntil = Number.NEGATIVE_INFINITY;
  private restarted = false;

  constructor(readonly opts: WorldOptions) {
    this.layout = layoutOf(opts.boundsMs);
    this.streams = new Streams(opts.seed);
    this.t = opts.startTime;
    const phase = this.streams.get('scrape-phase');
    for (let r = 0; r < REPLICAS; r++) {
      this.counters.push(new Float64Array(2 * this.layout.size));
      this.perBucket.push(new Float64Array(2 * (opts.boundsMs.length + 1)));
      this.scrapes.push([]);
      this.failedScrapes.push([]);
      this.scrapeOffset.push(Math.floor(phase() * opts.scrapeSeconds));
    }
    this.preload();
  }

  /** Schedule the gateways to apply a new canary weight from time `at` on (integer seconds). */
  setWeightAt(at: number, weight: number) {
    this.weightChanges.push({ at, weight });
    this.weightChanges.sort((a, b) => a.at - b.at);
  }

  /** Run the clock to `until`: traffic of every second before it, then the scrapes due at each second. */
  advanceTo(until: number) {
    while (this.t < until) {
      this.tick(this.t);
      this.t += 1;
      this.afterTick(this.t);
    }
  }

  private preload() {
    const h = this.opts.canaryHistory;
    if (!h) return;
    const nb = this.opts.boundsMs.length;
    h.forEach((prev, r) => {
      const { p } = this.probsOf(prev.p95Ms);
      const rng = this.streams.get('history');
      const per = this.perBucket[r];
      if (!per) return;
      let requests = 0;
      for (let b = 0; b <= nb; b++) {
        const n = poisson(rng, (prev.ok + prev.errors) * (p[b] ?? 0));
        per[b] = (per[b] ?? 0) + n;
        requests += n;
      }
      const errors = Math.min(requests, poisson(rng, prev.errors));
      const c = this.counters[r];
      if (!c) return;
      c[OK] = (c[OK] ?? 0) + requests - errors;
      c[ERR] = (c[ERR] ?? 0) + errors;
    });
  }

  private probsOf(p95Ms: number) {
    let e = this.probs.get(p95Ms);
    if (!e) {
      const p = bucketProbabilities(p95Ms, this.opts.boundsMs);
      const cells: number[] = [];
      p.forEach((x, i) => {
        if (x > 1e-12) cells.push(i);
      });
      e = { p, cells };
      this.probs.set(p95Ms, e);
    }
    return e;
  }

  private phaseOf(t: number) {
    return t < 0 ? 'pre' : 'run';
  }

  private errorRateOf(v: VersionName, base: number, t: number): number {
    const epoch = Math.floor(t / BURST_EPOCH_SECONDS);
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      for (const name of VERSIONS) {
        const burst = this.streams.get(`${this.phaseOf(t)}:burst:${name}`);
        let m = burstMultiplier(burst, this.opts.burstCv);
        const spike = this.streams.get(`${this.phaseOf(t)}:spike:${name}`)();
        if (this.opts.spikes && spike < SPIKE_PROBABILITY) m *= SPIKE_FACTOR;
        this.epochRate[name] = m;
      }
    }
    let e = Math.min(1, base * this.epochRate[v]);
    const o = this.opts.outage;
    if (o && t >= o.start && t < o.end) e = Math.max(e, OUTAGE_ERROR_RATE);
    return e;
  }

  private tick(t: number) {
    while (this.weightChanges.length > 0 && (this.weightChanges[0]?.at ?? Number.POSITIVE_INFINITY) <= t) {
      const w = this.weightChanges.shift();
      if (w) this.weight = w.weight;
    }
    const rate = Math.max(0, this.opts.rateAt(t));
    const restart = this.opts.restart;
    const down = restart && t >= restart.at && t < restart.at + restart.downSeconds ? restart.replica : -1;
    const nb = this.opts.boundsMs.length;
    const phase = this.phaseOf(t);
    for (const v of VERSIONS) {
      const state = v === 'canary' ? this.opts.canary(t, this.weight) : this.opts.stable;
      const share = v === 'canary' ? this.weight : 1 - this.weight;
      const mean = (rate * share) / REPLICAS;
      const traffic = this.streams.get(`${phase}:traffic:${v}`);
      const errs = this.streams.get(`${phase}:errors:${v}`);
      const e = this.errorRateOf(v, state.errorRate, t);
      if (mean <= 0) continue;
      const { p, cells } = this.probsOf(state.p95Ms);
      const base = v === 'canary' ? 0 : nb + 1;
      const offset = v === 'canary' ? 0 : this.layout.size;
      for (let r = 0; r < REPLICAS; r++) {
        const target = r === down ? 1 - r : r;
        const per = this.perBucket[target] as Float64Array;
        let n = 0;
        for (const b of cells) {
          const k = poisson(traffic, mean * (p[b] as number));
          per[base + b] = (per[base + b] as number) + k;
          n += k;
        }
        const k = sampleBinomial(errs, n, e);
        const c = this.counters[target] as Float64Array;
        c[offset + OK] = (c[offset + OK] as number) + n - k;
        c[offset + ERR] = (c[offset + ERR] as number) + k;
      }
    }
  }

  private afterTick(t: number) {
    const restart = this.opts.restart;
    if (restart && !this.restarted && t >= restart.at) {
      this.restarted = true;
      this.counters[restart.replica]?.fill(0);
      this.perBucket[restart.replica]?.fill(0);
      this.downUntil = restart.at + restart.downSeconds;
    }
    const missed = this.streams.get('scrape-missed');
    for (let r = 0; r < REPLICAS; r++) {
      const offset = this.scrapeOffset[r] ?? 0;
      if (
        (((t - offset) % this.opts.scrapeSeconds) + this.opts.scrapeSeconds) % this.opts.scrapeSeconds !==
        0
      )
        continue;
      const miss = missed() < this.opts.missedScrapeRate;
      const isDown = restart !== null && r === restart.replica && t >= restart.at && t < this.downUntil;
      if (miss || isDown) this.failedScrapes[r]?.push(t);
      else this.record(r, t);
    }
  }

  private record(r: number, t: number) {
    const size = this.layout.size;
    const nb = this.opts.boundsMs.length;
    const raw = new Float64Array(2 * size);
    const c = this.counters[r] as Float64Array;
    const per = this.perBucket[r] as Float64Array;
    for (let vi = 0; vi < 2; vi++) {
      const o = vi * size;
      const base = vi * (nb + 1);
      raw[o + OK] = c[o + OK] as number;
      raw[o + ERR] = c[o + ERR] as number;
      let cum = 0;
      for (let b = 0; b < nb; b++) {
        cum += per[base + b] as number;
        raw[o + FIRST_BUCKET + b] = cum;
      }
      raw[o + FIRST_BUCKET + nb] = cum + (per[base + nb] as number);
    }
    this.scrapes[r]?.push({ t, raw });
  }
}

/** Index of the newest entry at or before t (binary search over ascending times), or −1. */
export function lastAtOrBefore<T>(list: readonly T[], t: number, timeOf: (x: T) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timeOf(list[mid] as T) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export const scrapeTime = (s: Scrape) => s.t;

export type { Rng };
