import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BINOMIAL_DESIGN,
  logBetaBinomialMixture,
  logEValue,
  logSprt,
  logSumExp,
  priorFor,
  type SideDesign,
} from './binomial-eprocess';
import { clopperPearsonInterval, clopperPearsonUpper } from './intervals';
import { logBeta } from './primitives';
import { mulberry32 } from './prng';

/** Simpson quadrature of the defining integral, for checking the closed form. */
function numericMixture(k: number, n: number, p0: number, a: number, b: number, side: 'up' | 'down') {
  const [lo, hi] = side === 'up' ? [p0, 1] : [0, p0];
  const steps = 200_000;
  const h = (hi - lo) / steps;
  const f = (x: number, lr: boolean) => {
    if (x >= 1) return 0;
    const p = Math.max(x, Number.MIN_VALUE); // a = 1 has a finite, non-zero density at p = 0
    const prior = Math.exp((a - 1) * Math.log(p) + (b - 1) * Math.log1p(-p) - logBeta(a, b));
    return lr ? prior * Math.exp(k * Math.log(p / p0) + (n - k) * Math.log((1 - p) / (1 - p0))) : prior;
  };
  const simpson = (lr: boolean) => {
    let s = f(lo, lr) + f(hi, lr);
    for (let i = 1; i < steps; i++) s += (i % 2 === 0 ? 2 : 4) * f(lo + i * h, lr);
    return (s * h) / 3;
  };
  return simpson(true) / simpson(false);
}

describe('beta-binomial mixture e-value', () => {
  it('matches exact values for a uniform prior', () => {
    // π uniform on (p0, 1): E(0, 1) = 1/2 and E(1, 1) = (1 + p0)/(2 p0), exactly.
    expect(Math.exp(logBetaBinomialMixture(0, 1, 0.1, { a: 1, b: 1 }, 'up'))).toBeCloseTo(0.5, 12);
    expect(Math.exp(logBetaBinomialMixture(1, 1, 0.1, { a: 1, b: 1 }, 'up'))).toBeCloseTo(5.5, 11);
    // π uniform on (0, p0): E(0, 1) = (1 − p0/2)/(1 − p0).
    expect(Math.exp(logBetaBinomialMixture(0, 1, 0.1, { a: 1, b: 1 }, 'down'))).toBeCloseTo(0.95 / 0.9, 12);
    expect(logBetaBinomialMixture(0, 0, 0.01, { a: 2, b: 60 }, 'up')).toBe(0);
  });
  it.each([
    [3, 100, 0.01, 2, 64.67, 'up'],
    [12, 400, 0.01, 2, 64.67, 'up'],
    [0, 500, 0.01, 1, 332.3, 'down'],
    [2, 900, 0.01, 1, 332.3, 'down'],
    [30, 300, 0.05, 2, 11.33, 'up'],
  ] as const)('closed form = quadrature for k=%i n=%i p0=%f (%s)', (k, n, p0, a, b, side) => {
    const closed = Math.exp(logBetaBinomialMixture(k, n, p0, { a, b }, side));
    const numeric = numericMixture(k, n, p0, a, b, side);
    expect(Math.abs(closed / numeric - 1)).toBeLessThan(1e-8);
  });
  it('is monotone in the event count', () => {
    for (let k = 0; k < 40; k++) {
      const up = (x: number) => logEValue(x, 1000, 0.01, DEFAULT_BINOMIAL_DESIGN.up, 'up');
      const down = (x: number) => logEValue(x, 1000, 0.01, DEFAULT_BINOMIAL_DESIGN.down, 'down');
      expect(up(k + 1)).toBeGreaterThan(up(k));
      expect(down(k + 1)).toBeLessThan(down(k));
    }
  });
  it('stays finite deep in the tails', () => {
    const up = logEValue(0, 1_000_000, 0.01, DEFAULT_BINOMIAL_DESIGN.up, 'up');
    expect(up).toBeLessThan(0);
    expect(logEValue(500, 1000, 0.01, DEFAULT_BINOMIAL_DESIGN.up, 'up')).toBeGreaterThan(1000);
    expect(Number.isFinite(logEValue(0, 1_000_000, 0.01, DEFAULT_BINOMIAL_DESIGN.down, 'down'))).toBe(true);
  });
  it('default priors have the documented means', () => {
    const up = priorFor(0.01, DEFAULT_BINOMIAL_DESIGN.up);
    expect(up.a / (up.a + up.b)).toBeCloseTo(0.03, 12);
    const down = priorFor(0.05, DEFAULT_BINOMIAL_DESIGN.down);
    expect(down.a / (down.a + down.b)).toBeCloseTo(0.015, 12);
  });
});

describe('SPRT and logSumExp', () => {
  it('computes Wald likelihood ratios', () => {
    expect(logSprt(1, 1, 0.01, 0.02)).toBeCloseTo(Math.log(2), 12);
    expect(logSprt(0, 1, 0.01, 0.02)).toBeCloseTo(Math.log(0.98 / 0.99), 12);
    expect(logSumExp([Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(5), 12);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 9);
    expect(logSumExp([Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
  });
});

/** Fraction of runs whose statistic ever crosses, checking after every `batch` Bernoulli(p) draws. */
function crossingRate(
  runs: number,
  horizon: number,
  batch: number,
  p: number,
  crossed: (k: number, n: number) => boolean,
) {
  const rng = mulberry32(20240601);
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    let k = 0;
    for (let n = 1; n <= horizon; n++) {
      if (rng() < p) k++;
      if (n % batch === 0 && crossed(k, n)) {
        hits++;
        break;
      }
    }
  }
  return hits;
}

describe('validity under continuous monitoring (simulation, p exactly p0)', () => {
  const RUNS = 2000;
  const ALPHA = 0.1; // large α so that a violation would be visible with 2,000 runs
  const check = (design: SideDesign, side: 'up' | 'down', p0: number) =>
    crossingRate(RUNS, 2000, 5, p0, (k, n) => logEValue(k, n, p0, design, side) >= Math.log(1 / ALPHA));

  it('E↑ (rollback side) crosses 1/α in ≤ α of runs — p0 = 1 %', () => {
    const hits = check(DEFAULT_BINOMIAL_DESIGN.up, 'up', 0.01);
    expect(clopperPearsonUpper(hits, RUNS)).toBeLessThanOrEqual(ALPHA);
    expect(hits).toBeGreaterThan(0); // the bound is not vacuous: the e-process does move
  });
  it('E↓ (promote side) crosses 1/α in ≤ α of runs — p0 = 5 %', () => {
    const hits = check(DEFAULT_BINOMIAL_DESIGN.down, 'down', 0.05);
    expect(clopperPearsonUpper(hits, RUNS)).toBeLessThanOrEqual(ALPHA);
  });
  it('negative control: re-testing a fixed-n 90 % interval after every batch is NOT valid', () => {
    const hits = crossingRate(
      RUNS,
      2000,
      5,
      0.01,
      (k, n) => n >= 50 && clopperPearsonInterval(k, n, 0.8)[0] > 0.01,
    );
    expect(clopperPearsonInterval(hits, RUNS)[0]).toBeGreaterThan(ALPHA);
  });
});
