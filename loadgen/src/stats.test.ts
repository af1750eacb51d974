import { describe, expect, it } from 'vitest';
import { latencyStats, percentile, Samples } from './stats';

describe('percentile (nearest rank)', () => {
  it('is exact on 1..100', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('handles tiny and empty inputs', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentile([1, 2], 51)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('latencyStats', () => {
  it('summarises known latencies regardless of insertion order', () => {
    const s = new Samples(2); // forces growth
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) / 10); // 0.1 .. 100.0 ms
    for (let i = values.length - 1; i >= 0; i--) s.push(values[i] as number);
    expect(s.length).toBe(1000);
    expect(latencyStats(s)).toEqual({
      min: 0.1,
      mean: 50.05,
      p50: 50,
      p90: 90,
      p95: 95,
      p99: 99,
      max: 100,
    });
  });

  it('is null without samples', () => {
    expect(latencyStats([])).toBeNull();
  });

  it('sorts numerically, not lexically', () => {
    expect(latencyStats([10, 9, 100, 2])?.p50).toBe(9);
  });
});
