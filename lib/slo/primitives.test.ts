import { describe, expect, it } from 'vitest';
import {
  betaCdf,
  betaSf,
  binomialCdf,
  binomialQuantile,
  binomialSf,
  logBeta,
  logGamma,
  logRegIncBeta,
  regIncBeta,
  regIncBetaInv,
} from './primitives';

const close = (actual: number, expected: number, rel = 1e-8) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));

describe('logGamma / logBeta', () => {
  it('matches closed forms', () => {
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12);
    close(logGamma(10), Math.log(362880), 1e-12);
    close(logGamma(1), 0, 1e-14);
    close(logBeta(2, 3), Math.log(1 / 12), 1e-12); // B(2,3) = 1!·2!/4! = 1/12
    close(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-12);
  });
});

describe('regularized incomplete beta', () => {
  it('matches published / closed-form values', () => {
    close(regIncBeta(0.5, 2, 2), 0.5);
    close(regIncBeta(0.2, 1, 2), 0.36);
    close(regIncBeta(0.2, 1, 2, true), 0.64);
    // Beta(2,3) CDF = 6x² − 8x³ + 3x⁴
    close(regIncBeta(0.3, 2, 3), 6 * 0.09 - 8 * 0.027 + 3 * 0.0081);
    // I_x(a, 1) = x^a
    close(regIncBeta(0.7, 3.5, 1), 0.7 ** 3.5);
  });
  it('computes the upper tail without cancellation', () => {
    // 1 − I_x(1, b) = (1 − x)^b, here ≈ 2.2e-44: the lower tail would round to 1.
    const exact = 0.99 ** 10_000;
    expect(Math.abs(regIncBeta(0.01, 1, 10_000, true) / exact - 1)).toBeLessThan(1e-8);
    expect(Math.abs(logRegIncBeta(0.01, 1, 10_000, true) - 10_000 * Math.log(0.99))).toBeLessThan(1e-8);
  });
  it('handles the edges of [0, 1]', () => {
    expect(regIncBeta(0, 2, 3)).toBe(0);
    expect(regIncBeta(1, 2, 3)).toBe(1);
    expect(regIncBeta(0, 2, 3, true)).toBe(1);
    expect(regIncBeta(1, 2, 3, true)).toBe(0);
  });
  it('inverts', () => {
    close(regIncBetaInv(0.36, 1, 2), 0.2);
    close(regIncBetaInv(0.5, 2, 2), 0.5);
  });
});

describe('binomial and beta tails', () => {
  it('binomial CDF / survival', () => {
    close(binomialCdf(2, 10, 0.5), 56 / 1024);
    close(binomialSf(3, 10, 0.5), 1 - 56 / 1024);
    close(binomialSf(1, 300, 0.01), 1 - 0.99 ** 300);
    close(binomialSf(300, 300, 0.01), 0.01 ** 300, 1e-8 * 0.01 ** 300);
    expect(binomialSf(0, 5, 0.3)).toBe(1);
    expect(binomialSf(6, 5, 0.3)).toBe(0);
    expect(binomialCdf(-1, 5, 0.3)).toBe(0);
    expect(binomialCdf(5, 5, 0.3)).toBe(1);
  });
  it('beta CDF / survival', () => {
    close(betaCdf(0.25, 2, 2), 3 * 0.0625 - 2 * 0.015625);
    close(betaSf(0.25, 2, 2), 1 - 0.15625);
    close(betaCdf(0.4, 1, 1), 0.4);
  });
  it('binomial quantile', () => {
    expect(binomialQuantile(0.5, 10, 0.5)).toBe(5);
    // P(X ≤ 2) = 0.0547 < 0.06 ≤ P(X ≤ 3) = 0.1719
    expect(binomialQuantile(0.06, 10, 0.5)).toBe(3);
    expect(binomialQuantile(0.05, 10, 0.5)).toBe(2);
  });
});
