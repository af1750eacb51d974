import { describe, expect, it } from 'vitest';
import { binomial, mulberry32, normal } from './prng';

describe('seeded PRNG', () => {
  it('is deterministic and uniform-looking', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    const r = mulberry32(3);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += r();
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005); // sd of the mean ≈ 0.0009
  });
  it('draws binomials with the right mean and variance, including large n·p', () => {
    const r = mulberry32(5);
    for (const [n, p] of [
      [75, 0.01],
      [3000, 0.5],
      [10, 0.9],
    ] as const) {
      const N = 20_000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < N; i++) {
        const x = binomial(r, n, p);
        s += x;
        s2 += x * x;
      }
      const mean = s / N;
      const variance = s2 / N - mean * mean;
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / N));
      expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.05);
    }
    expect(binomial(r, 0, 0.5)).toBe(0);
    expect(binomial(r, 10, 1)).toBe(10);
  });
  it('draws standard normals', () => {
    const r = mulberry32(8);
    let s2 = 0;
    for (let i = 0; i < 50_000; i++) s2 += normal(r) ** 2;
    expect(Math.abs(s2 / 50_000 - 1)).toBeLessThan(0.03);
  });
});
