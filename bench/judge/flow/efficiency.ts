/**
 * Statistical efficiency with no pipeline: i.i.d. requests monitored one by one, stable at the canary's rate (so
 * canary-vs-stable cannot help), the judge at its first step. For each grid point: mean canary requests until the
 * judge's own test decides (the SLO's status turns "fail" for rollback points, "pass" for promote points) ÷ mean
 * requests of Wald's SPRT told the true rate, at the same α (lib/slo/config.ts: rollbackAlphas().errors or .latency,
 * alphaPromote), on the same request streams; held-out seeds (purpose "efficiency", never used to tune anything).
 *
 * Calling the judge after every request costs O(n²); it is called after every window of m ≈ (oracle's mean)/40
 * requests (each window one scrape of the judge's input, plus one stable request at the same rates), and when a
 * window decides, the first deciding request inside it is found by bisection (calls with a partial last window).
 */
import {
  DEFAULT_JUDGE_CONFIG,
  type JudgeInput,
  judge,
  type LatencyBucket,
  mulberry32,
  rollbackAlphas,
  type SloResult,
  type VersionSample,
} from '../../../lib/slo';
import { ISTIO_ANNOTATED_BUCKETS_MS, latencyCdf, slowShareAt } from './latency';
import { hashSeed, type Rng } from './random';

export type EfficiencyTest = 'errors' | 'latency';
export type Direction = 'rollback' | 'promote';

export interface EfficiencyPoint {
  test: EfficiencyTest;
  direction: Direction;
  /** "2×p0", "P95 350 ms", "0.05 %"… */
  point: string;
  errorRate: number;
  p95Ms: number;
}

const P0_ERRORS = 0.01;
const P0_SLOW = 0.05;
const HEALTHY_ERRORS = 0.002;
const HEALTHY_P95 = 200;

export function efficiencyPoints(): EfficiencyPoint[] {
  const pts: EfficiencyPoint[] = [];
  for (const m of [1.5, 2, 3, 5, 10, 20])
    pts.push({
      test: 'errors',
      direction: 'rollback',
      point: `${m}×p0`,
      errorRate: m * P0_ERRORS,
      p95Ms: HEALTHY_P95,
    });
  for (const p95 of [330, 350, 400, 500, 1000])
    pts.push({
      test: 'latency',
      direction: 'rollback',
      point: `P95 ${p95} ms`,
      errorRate: HEALTHY_ERRORS,
      p95Ms: p95,
    });
  for (const e of [0, 0.0005, 0.002])
    pts.push({
      test: 'errors',
      direction: 'promote',
      point: `${+(e * 100).toFixed(2)} %`,
      errorRate: e,
      p95Ms: HEALTHY_P95,
    });
  for (const p95 of [200, 250])
    pts.push({
      test: 'latency',
      direction: 'promote',
      point: `P95 ${p95} ms`,
      errorRate: HEALTHY_ERRORS,
      p95Ms: p95,
    });
  return pts;
}

/** The event the test counts and its SLO boundary. */
function eventOf(p: EfficiencyPoint) {
  return p.test === 'errors'
    ? { rate: p.errorRate, p0: P0_ERRORS }
    : { rate: slowShareAt(p.p95Ms, 300), p0: P0_SLOW };
}

export function alphaOf(p: EfficiencyPoint): number {
  if (p.direction === 'promote') return DEFAULT_JUDGE_CONFIG.alphaPromote;
  const a = rollbackAlphas(DEFAULT_JUDGE_CONFIG);
  return p.test === 'errors' ? a.errors : a.latency;
}

/** Requests Wald's SPRT of p0 against the true rate needs to cross 1/α on this stream (per-request monitoring). */
export function oracleRequests(
  events: (i: number) => boolean,
  rate: number,
  p0: number,
  alpha: number,
  cap: number,
): number {
  const up = Math.log(1 / alpha);
  const a = Math.log(Math.max(rate, 1e-300) / p0);
  const b = Math.log1p(-Math.min(rate, 1 - 1e-12)) - Math.log1p(-p0);
  let llr = 0;
  for (let i = 0; i < cap; i++) {
    llr += events(i) ? a : b;
    if (llr >= up) return i + 1;
  }
  return cap;
}

/** Wald's approximate ASN (no overshoot) for the same α: ln(1/α) / KL(rate ‖ p0). */
export function waldAsn(rate: number, p0: number, alpha: number): number {
  const kl = (x: number, y: number) =>
    (x > 0 ? x * Math.log(x / y) : 0) + (x < 1 ? (1 - x) * Math.log((1 - x) / (1 - y)) : 0);
  return Math.log(1 / alpha) / kl(rate, p0);
}

const BOUNDS_MS = ISTIO_ANNOTATED_BUCKETS_MS.filter((b) => b >= 100 && b <= 1000);
const SLOW_BUCKET = BOUNDS_MS.indexOf(300);

/** I.i.d. requests drawn on demand: a 5xx flag and a latency bucket (index into BOUNDS_MS, last = slower). */
class Stream {
  error = new Uint8Array(1024);
  bucket = new Uint8Array(1024);
  length = 0;
  private readonly cdf: number[];

  constructor(
    private readonly rng: Rng,
    private readonly errorRate: number,
    p95Ms: number,
  ) {
    this.cdf = BOUNDS_MS.map((b) => latencyCdf(p95Ms, b));
  }

  ensure(n: number) {
    if (n <= this.length) return;
    if (n > this.error.length) {
      const size = Math.max(n, this.error.length * 2);
      const e = new Uint8Array(size);
      const b = new Uint8Array(size);
      e.set(this.error);
      b.set(this.bucket);
      this.error = e;
      this.bucket = b;
    }
    for (let i = this.length; i < n; i++) {
      this.error[i] = this.rng() < this.errorRate ? 1 : 0;
      const u = this.rng();
      let k = 0;
      while (k < this.cdf.length && u > (this.cdf[k] as number)) k++;
      this.bucket[i] = k;
    }
    this.length = n;
  }
}

const WINDOW_SECONDS = 10;

/** Cumulative samples at the given request counts of a stream (one sample per entry of `ends`). */
function samples(stream: Stream, ends: readonly number[]): VersionSample[] {
  const out: VersionSample[] = [];
  const per = new Array<number>(BOUNDS_MS.length + 1).fill(0);
  let errors = 0;
  let prev = 0;
  ends.forEach((end, w) => {
    stream.ensure(end);
    for (let i = prev; i < end; i++) {
      errors += stream.error[i] as number;
      const b = stream.bucket[i] as number;
      per[b] = (per[b] as number) + 1;
    }
    prev = end;
    let cum = 0;
    const latencyBuckets: LatencyBucket[] = BOUNDS_MS.map((le, b) => {
      cum += per[b] as number;
      return { le: le / 1000, count: cum };
    });
    latencyBuckets.push({ le: Number.POSITIVE_INFINITY, count: end });
    out.push({ observedAt: (w + 1) * WINDOW_SECONDS, requests: end, errors, latencyBuckets });
  });
  return out;
}

/** Whether the judge's tested SLO has decided after canary windows ending at `ends` (one stable request each). */
function decided(p: EfficiencyPoint, canary: Stream, stable: Stream, ends: readonly number[]): boolean {
  const now = ends.length * WINDOW_SECONDS;
  const input: JudgeInput = {
    now,
    canary: samples(canary, ends),
    stable: samples(
      stable,
      ends.map((_, w) => w + 1),
    ),
    attempt: { number: 1, start: 0, stepStarts: [{ attempt: 1, start: 0 }], stepsPerAttempt: 3 },
    newestSampleAt: now,
  };
  const v = judge(input, {}, { projections: false });
  const name: SloResult['name'] = p.test === 'errors' ? 'error-rate' : 'latency-p95';
  const slo = v.slos.find((x) => x.name === name);
  return slo?.status === (p.direction === 'rollback' ? 'fail' : 'pass');
}

export interface EfficiencyResult {
  test: EfficiencyTest;
  direction: Direction;
  point: string;
  /** Mean requests of the judge's test ÷ mean requests of the same-α oracle SPRT. */
  ratio: number;
  judgeMeanRequests: number;
  oracleMeanRequests: number;
  waldAsn: number;
  alpha: number;
  runs: number;
  /** Runs where the judge's test had not decided at the cap (counted at the cap). */
  undecided: number;
  windowRequests: number;
}

export function runEfficiency(p: EfficiencyPoint, runs: number, seedSalt = 'efficiency'): EfficiencyResult {
  const { rate, p0 } = eventOf(p);
  const alpha = alphaOf(p);
  const asn = waldAsn(rate, p0, alpha);
  const m = Math.max(1, Math.round(asn / 40));
  const cap = Math.max(20_000, Math.round(asn * 40));
  const isEvent = (s: Stream, i: number) => {
    s.ensure(i + 1);
    return p.test === 'errors' ? s.error[i] === 1 : (s.bucket[i] as number) > SLOW_BUCKET;
  };
  let judgeSum = 0;
  let oracleSum = 0;
  let undecided = 0;
  for (let r = 0; r < runs; r++) {
    const rng = mulberry32(hashSeed(r, `${seedSalt}|${p.test}|${p.direction}|${p.point}`));
    const canary = new Stream(
      mulberry32(hashSeed(r, `${seedSalt}|canary|${p.point}|${p.test}`)),
      p.errorRate,
      p.p95Ms,
    );
    const stable = new Stream(rng, p.errorRate, p.p95Ms);
    oracleSum += oracleRequests((i) => isEvent(canary, i), rate, p0, alpha, cap);
    const ends: number[] = [];
    let found = cap;
    for (let end = m; end <= cap; end += m) {
      ends.push(end);
      if (!decided(p, canary, stable, ends)) continue;
      // First deciding request inside the last window (bisection on a partial last window).
      let lo = end - m;
      let hi = end;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (mid > (ends.at(-2) ?? 0) && decided(p, canary, stable, [...ends.slice(0, -1), mid])) hi = mid;
        else lo = mid;
      }
      found = hi;
      break;
    }
    if (found >= cap) undecided++;
    judgeSum += found;
  }
  const judgeMean = judgeSum / runs;
  const oracleMean = oracleSum / runs;
  return {
    test: p.test,
    direction: p.direction,
    point: p.point,
    ratio: judgeMean / oracleMean,
    judgeMeanRequests: judgeMean,
    oracleMeanRequests: oracleMean,
    waldAsn: asn,
    alpha,
    runs,
    undecided,
    windowRequests: m,
  };
}
