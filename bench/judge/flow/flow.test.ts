import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../lib/slo';
import { argoPromqlFlow, judgeFlow, runAnalysis } from './controller';
import { efficiencyPoints, oracleRequests, runEfficiency, waldAsn } from './efficiency';
import { ISTIO_ANNOTATED_BUCKETS_MS, ISTIO_DEFAULT_BUCKETS_MS } from './latency';
import { readDeployedFlow } from './manifests';
import {
  histogramQuantileQuery,
  pairGrid,
  ServerReader,
  seriesRate,
  stepFor,
  successRateQuery,
} from './prom';
import { burstMultiplier, poisson, Streams } from './random';
import { deployedScenarios, HEALTHY, worldOptions } from './scenarios';
import { seedOf, simulate } from './simulate';
import { argoCandidates, chooseArgo, tuningCells } from './tune';
import { OK, offsetOf, REPLICAS, World, type WorldOptions } from './world';

const flow = readDeployedFlow();
const ARGO = {
  count: 5,
  failureLimit: 3,
  intervalSeconds: 60,
  initialDelaySeconds: 60,
  inconclusiveLimit: 1,
};

function stats(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

function world(over: Partial<WorldOptions> = {}): World {
  return new World({
    seed: 7,
    rateAt: () => 100,
    scrapeSeconds: 5,
    boundsMs: ISTIO_DEFAULT_BUCKETS_MS,
    canary: () => HEALTHY,
    stable: HEALTHY,
    burstCv: 0,
    spikes: false,
    missedScrapeRate: 0,
    outage: null,
    restart: null,
    startTime: -60,
    ...over,
  });
}

describe('random draws', () => {
  it('Poisson has mean = variance on both sides of the PTRS switch', () => {
    for (const mean of [0.3, 4, 25, 400]) {
      const rng = mulberry32(11);
      const s = stats(Array.from({ length: 20_000 }, () => poisson(rng, mean)));
      expect(s.mean).toBeGreaterThan(mean * 0.97 - 0.02);
      expect(s.mean).toBeLessThan(mean * 1.03 + 0.02);
      expect(s.variance / mean).toBeGreaterThan(0.92);
      expect(s.variance / mean).toBeLessThan(1.08);
    }
  });

  it('bursts are mean-1 gamma with the stated coefficient of variation', () => {
    for (const cv of [0.5, 1]) {
      const rng = mulberry32(5);
      const s = stats(Array.from({ length: 40_000 }, () => burstMultiplier(rng, cv)));
      expect(s.mean).toBeCloseTo(1, 1);
      expect(Math.sqrt(s.variance)).toBeCloseTo(cv, 1);
    }
  });
});

describe('buckets', () => {
  it("Istio's default buckets have no 300 ms boundary; the annotated ones add it", () => {
    expect(ISTIO_DEFAULT_BUCKETS_MS).not.toContain(300);
    expect(ISTIO_DEFAULT_BUCKETS_MS.slice(5, 10)).toEqual([50, 100, 250, 500, 1000]);
    expect(ISTIO_ANNOTATED_BUCKETS_MS).toContain(300);
  });
});

describe('the deployed flow', () => {
  it('reads the rollout steps and the judge template from the manifests', () => {
    expect(flow.stepWeights).toEqual([0.1, 0.3, 0.6]);
    expect([5, 10]).toContain(flow.intervalSeconds);
    expect(Number(flow.judgeMetric.inconclusiveLimit)).toBe(Number(flow.judgeMetric.count) - 1);
  });

  it('an AnalysisRun follows Argo: first promote ends it, count inconclusive ones pause, one rollback fails', () => {
    const w = world();
    const metric = flow.judgeMetric;
    const count = Number(metric.count);
    expect(
      runAnalysis(w, 0, [{ metric, measure: (t) => (t >= 30 ? 'Successful' : 'Inconclusive') }]),
    ).toEqual({
      phase: 'Successful',
      at: 30,
    });
    expect(runAnalysis(world(), 0, [{ metric, measure: () => 'Inconclusive' }])).toEqual({
      phase: 'Inconclusive',
      at: (count - 1) * flow.intervalSeconds,
    });
    expect(
      runAnalysis(world(), 0, [{ metric, measure: (t) => (t >= 20 ? 'Failed' : 'Inconclusive') }]),
    ).toEqual({
      phase: 'Failed',
      at: 20,
    });
  });

  it('a canary failing outright is rolled back at the first step by the judge and by the tuned PromQL analysis', () => {
    const s = deployedScenarios().find((x) => x.id === 'errors-100pct');
    if (!s) throw new Error('scenario');
    for (const policy of ['judge', 'argo-promql', 'flagger'] as const) {
      const r = simulate({ scenario: s, totalRps: 50, scrapeSeconds: 5, seed: 3, policy, flow, argo: ARGO });
      expect(r.decision).toBe('rollback');
      expect(r.step).toBe(0);
    }
  });

  it('the judge promotes a healthy canary step by step, each step holding its weight', () => {
    const s = deployedScenarios().find((x) => x.id === 'istio-annotated-buckets');
    if (!s) throw new Error('scenario');
    const starts: number[] = [];
    const r = simulate({
      scenario: { ...s, canary: () => HEALTHY },
      totalRps: 200,
      scrapeSeconds: 5,
      seed: 4,
      policy: 'judge',
      flow,
      argo: ARGO,
      trace: (t, v, input) => {
        const last = input.attempt?.stepStarts.at(-1)?.start;
        if (last !== undefined && !starts.includes(last)) starts.push(last);
        if (v.verdict === 'promote') expect(t - (last ?? 0)).toBeGreaterThanOrEqual(30);
      },
    });
    expect(r.decision).toBe('promote');
    expect(starts).toHaveLength(3);
  });

  it('skipping judge calls whose inputs did not change gives the same outcomes', () => {
    for (const id of ['near-slo-bursts-1.0', 'on-slo-bursts-0.5']) {
      const s = deployedScenarios().find((x) => x.id === id);
      if (!s) throw new Error('scenario');
      for (const seed of [1, 2]) {
        const spec = {
          scenario: s,
          totalRps: 200,
          scrapeSeconds: 15,
          seed,
          policy: 'judge' as const,
          flow,
          argo: ARGO,
        };
        expect(simulate({ ...spec, memo: true })).toEqual(simulate({ ...spec, memo: false }));
      }
    }
  });

  it('the PromQL baseline and the judge see the same canary when the policies share a seed', () => {
    const s = deployedScenarios().find((x) => x.id === 'errors-5pct');
    if (!s) throw new Error('scenario');
    const a = simulate({
      scenario: s,
      totalRps: 50,
      scrapeSeconds: 15,
      seed: 9,
      policy: 'judge',
      flow,
      argo: ARGO,
    });
    const b = simulate({
      scenario: s,
      totalRps: 50,
      scrapeSeconds: 15,
      seed: 9,
      policy: 'judge',
      flow,
      argo: ARGO,
    });
    expect(a).toEqual(b);
  });
});

describe('Prometheus reads', () => {
  it('rate() extrapolates like Prometheus over a steady counter', () => {
    const list = [0, 15, 30, 45, 60].map((t) => ({ t, raw: new Float64Array([t * 10, 0]) }));
    // samples at 0..60 in [0, 60]: 600 over 60 s, no extrapolation needed.
    expect(seriesRate(list, 0, OK, 60, 60)).toBeCloseTo(10, 6);
    // Window [5, 65]: samples 15..60, extrapolated to the edges (within 1.1 × the 15 s spacing).
    expect(seriesRate(list, 0, OK, 65, 60)).toBeCloseTo(10, 6);
  });

  it('a gateway restart and missed scrapes neither double-count nor lose what was scraped', () => {
    const base = world({ seed: 21 });
    const hit = world({ seed: 21, restart: { replica: 1, at: 100, downSeconds: 10 }, missedScrapeRate: 0.1 });
    for (const w of [base, hit]) w.setWeightAt(1, 0.3);
    base.advanceTo(300);
    hit.advanceTo(300);
    const a = new ServerReader(base).read(0, 300);
    const b = new ServerReader(hit).read(0, 300);
    const na = a?.canary.at(-1)?.requests ?? 0;
    const nb = b?.canary.at(-1)?.requests ?? 0;
    // Same arrivals; the restarted replica's requests since its last scrape before the restart are lost (≤ ~10 s of
    // half the canary traffic), nothing is counted twice.
    expect(nb).toBeLessThanOrEqual(na);
    expect(nb).toBeGreaterThan(na - 0.5 * 30 * 20);
    const samples = b?.canary ?? [];
    for (let i = 1; i < samples.length; i++)
      expect(samples[i]?.requests ?? 0).toBeGreaterThanOrEqual(samples[i - 1]?.requests ?? 0);
  });

  it("a reused service's history is not the canary's evidence", () => {
    const w = world({ canaryHistory: [0, 1].map(() => ({ ok: 900, errors: 100, p95Ms: 200 })) });
    w.setWeightAt(1, 0.1);
    w.advanceTo(120);
    const read = new ServerReader(w).read(0, 120);
    const last = read?.canary.at(-1);
    expect(last?.requests ?? 0).toBeLessThan(100 * 0.1 * 120 * 1.3);
    expect(last?.errors ?? 0).toBeLessThan(10);
    const raw = (w.scrapes[0]?.at(-1)?.raw[offsetOf(w.layout, 'canary') + OK] as number) ?? 0;
    expect(raw).toBeGreaterThan(800);
  });

  it("incremental reads equal the server's cumulativeIncrements over whole tracks", () => {
    const w = world({ seed: 5, restart: { replica: 0, at: 200, downSeconds: 10 }, missedScrapeRate: 0.2 });
    w.setWeightAt(1, 0.2);
    const reader = new ServerReader(w);
    for (const now of [40, 41, 90, 300, 650, 900, 1300]) {
      w.advanceTo(now);
      const read = reader.read(3, now);
      expect(read?.canary).toEqual(reader.full('canary', 3, now));
      expect(read?.stable).toEqual(reader.full('stable', 3, now));
    }
  });

  it('the grid follows the server: 5 s steps, coarser after 10 min, on whole multiples', () => {
    expect(stepFor(300)).toBe(5);
    expect(stepFor(1500)).toBe(15);
    expect(pairGrid(3, 20, 5)).toEqual({ t0: 5, tN: 20, step: 5, points: 4 });
    expect(pairGrid(3, 9, 5)).toBeNull();
  });

  it('success rate and P95 queries see a healthy canary as healthy', () => {
    const w = world();
    w.setWeightAt(1, 0.5);
    w.advanceTo(200);
    const sr = successRateQuery(w, 'canary', 200) ?? 0;
    expect(sr).toBeGreaterThan(0.99);
    const p95 = histogramQuantileQuery(w, 'canary', 0.95, 200) ?? 0;
    expect(p95).toBeGreaterThan(100);
    expect(p95).toBeLessThan(250);
  });
});

describe('paired arms', () => {
  it('a restart only moves requests between replicas: every arrival is drawn the same', () => {
    const s = deployedScenarios().find((x) => x.id === 'gateway-restart');
    if (!s) throw new Error('scenario');
    const seed = seedOf('test', 'paired', 1);
    const arms = [true, false].map((disturbed) => {
      const streams = new Streams(seed);
      const { options } = worldOptions(
        s,
        50,
        5,
        seed,
        ISTIO_DEFAULT_BUCKETS_MS,
        streams.get('scenario'),
        disturbed,
      );
      const w = new World(options);
      w.setWeightAt(1, 0.1);
      w.advanceTo(400);
      return w;
    });
    const [hit, ref] = arms as [World, World];
    expect(hit.opts.restart).not.toBeNull();
    expect(ref.opts.restart).toBeNull();
    // After both replicas were scraped past the restart, the replicas' total stable requests are equal except for
    // what the restarted process lost.
    const total = (w: World) =>
      Array.from(
        { length: REPLICAS },
        (_, r) => w.scrapes[r]?.at(-1)?.raw[offsetOf(w.layout, 'stable') + OK] ?? 0,
      );
    const [h0, h1] = total(hit);
    const [r0, r1] = total(ref);
    expect((h0 ?? 0) + (h1 ?? 0)).toBeLessThan((r0 ?? 0) + (r1 ?? 0));
  });
});

describe('efficiency', () => {
  it("the oracle's mean is Wald's ASN plus overshoot", () => {
    let sum = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const rng = mulberry32(r + 1);
      const ev: boolean[] = [];
      sum += oracleRequests(
        (i) => {
          while (ev.length <= i) ev.push(rng() < 0.05);
          return ev[i] === true;
        },
        0.05,
        0.01,
        0.005,
        100_000,
      );
    }
    const asn = waldAsn(0.05, 0.01, 0.005);
    expect(sum / runs).toBeGreaterThan(asn);
    expect(sum / runs).toBeLessThan(asn * 1.5);
  });

  it('the judge needs about as many requests as the oracle at 5×p0 (a few runs)', () => {
    const p = efficiencyPoints().find((x) => x.point === '5×p0');
    if (!p) throw new Error('point');
    const r = runEfficiency(p, 20, 'test');
    expect(r.ratio).toBeGreaterThan(0.7);
    expect(r.ratio).toBeLessThan(2);
  });
});

describe('Argo tuning', () => {
  it('picks an eligible candidate, never one over 1 % false rollbacks when one is eligible', () => {
    const results = new Map<string, { decision: 'rollback' | 'promote'; at: number; step: number }[]>();
    const cells = tuningCells();
    argoCandidates().forEach((a, c) => {
      cells.forEach((cell, k) => {
        const falseRb = a.failureLimit >= 2 ? 0 : 0.2;
        const rb = cell.kind === 'aa' ? falseRb : 1 - a.failureLimit * 0.05;
        results.set(
          `${k}|${c}`,
          Array.from({ length: 100 }, (_, i) => ({
            decision: i < rb * 100 ? 'rollback' : 'promote',
            at: 0,
            step: 0,
          })),
        );
      });
    });
    const { chosen, rows } = chooseArgo(results);
    expect(chosen.failureLimit).toBe(2);
    expect(chosen.count).toBe(3);
    expect(rows.filter((r) => r.chosen)).toHaveLength(1);
  });
});

describe('judgeFlow and argoPromqlFlow', () => {
  it('run on a bare world', () => {
    const w = world();
    w.advanceTo(0);
    const r = judgeFlow({ world: w, flow, rng: mulberry32(1) });
    expect(['promote', 'pause', 'rollback']).toContain(r.decision);
    const w2 = world();
    w2.advanceTo(0);
    expect(argoPromqlFlow({ world: w2, flow, rng: mulberry32(1) }, ARGO).decision).toBe('promote');
  });
});
