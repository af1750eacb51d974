import { describe, expect, it } from 'vitest';
import { clopperPearsonUpper } from './intervals';
import { mulberry32, binomial as sampleBinomial } from './prng';
import {
  DEFAULT_THETAS,
  logRelativeEValue,
  logWindowRatio,
  rateRatio,
  thetaFromShare,
} from './relative-test';

const w1Fallback = { canaryErrors: 0, stableErrors: 0, rho: 0.5 };

describe('conditional-binomial likelihood ratio', () => {
  it('matches a hand computation', () => {
    // ρ = 0.5, θ = 3 → q = 0.75; 2 canary and 1 stable error: (1.5)^2 · (0.5)^1 = 1.125
    expect(Math.exp(logWindowRatio({ canaryErrors: 2, stableErrors: 1, rho: 0.5 }, 3))).toBeCloseTo(
      1.125,
      12,
    );
    // ρ = 0.1, θ = 2 → q = 0.2/1.1; one canary error: q/ρ = 2/1.1
    expect(Math.exp(logWindowRatio({ canaryErrors: 1, stableErrors: 0, rho: 0.1 }, 2))).toBeCloseTo(
      2 / 1.1,
      12,
    );
    expect(logWindowRatio({ canaryErrors: 0, stableErrors: 0, rho: 0.3 }, 5)).toBe(0);
  });
  it('mixes products over the θ grid', () => {
    const w1 = { canaryErrors: 2, stableErrors: 1, rho: 0.5 };
    const w2 = { canaryErrors: 0, stableErrors: 3, rho: 0.2 };
    const w = [w1, w2];
    const expected = DEFAULT_THETAS.reduce(
      (s, c) => s + c.weight * Math.exp(logWindowRatio(w1, c.theta) + logWindowRatio(w2, c.theta)),
      0,
    );
    expect(Math.exp(logRelativeEValue(w))).toBeCloseTo(expected, 12);
    expect(logRelativeEValue([])).toBeCloseTo(0, 12);
  });
  it('tempering scales the log evidence of every component', () => {
    const w = [{ canaryErrors: 4, stableErrors: 1, rho: 0.2 }];
    const one = [{ theta: 3, weight: 1 }];
    expect(logRelativeEValue(w, one, 0.5)).toBeCloseTo(0.5 * logWindowRatio(w[0] ?? w1Fallback, 3), 12);
  });
  it('rate ratio and θ mapping', () => {
    expect(rateRatio(5, 1000, 10, 10_000)).toBeCloseTo(5, 12);
    expect(rateRatio(0, 100, 0, 900)).toBe(1);
    expect(thetaFromShare(0.5, 0.1)).toBeCloseTo(9, 12);
  });
  it('grows quickly for a 5× regression at 10 % traffic', () => {
    const w = Array.from({ length: 20 }, () => ({ canaryErrors: 2, stableErrors: 3, rho: 0.1 }));
    expect(logRelativeEValue(w)).toBeGreaterThan(Math.log(300));
  });
});

describe('validity under θ = 1 with shifting traffic and shared incidents (simulation)', () => {
  it('crosses 1/α in ≤ α of 2,000 runs', () => {
    const rng = mulberry32(99);
    const RUNS = 2000;
    const ALPHA = 0.05;
    let hits = 0;
    for (let r = 0; r < RUNS; r++) {
      const windows = [];
      for (let i = 0; i < 60; i++) {
        const rho = [0.1, 0.3, 0.6][Math.floor(i / 20)] ?? 0.6;
        const incident = i >= 30 && i < 34;
        const p = incident ? 0.3 : 0.004;
        const n = 750;
        const nc = sampleBinomial(rng, n, rho);
        const canaryErrors = sampleBinomial(rng, nc, p);
        const stableErrors = sampleBinomial(rng, n - nc, p);
        windows.push({ canaryErrors, stableErrors, rho: nc / n });
        if (logRelativeEValue(windows) >= Math.log(1 / ALPHA)) {
          hits++;
          break;
        }
      }
    }
    expect(clopperPearsonUpper(hits, RUNS)).toBeLessThanOrEqual(ALPHA);
  });
});
