import { describe, expect, it } from 'vitest';
import { histogramQuantile, histogramTotal, quantileInterval, slowCount } from './histogram';
import { binomialCdf } from './primitives';
import { buckets } from './test-fixtures';

// bounds 0.05, 0.1, 0.2, 0.3, 0.5, 1, +Inf
const h = buckets([10, 40, 30, 10, 6, 3, 1]); // 100 requests, 10 slower than 0.3 s

describe('slowCount', () => {
  it('uses the exact 300 ms boundary when present', () => {
    expect(slowCount(h, 0.3, 0)).toEqual({ total: 100, low: 10, high: 10, exact: true });
  });
  it('brackets with the neighbouring buckets otherwise', () => {
    // 0.25 s: lower neighbour 0.2 (tail 20), upper neighbour 0.3 (tail 10)
    expect(slowCount(h, 0.25, 0)).toEqual({ total: 100, low: 10, high: 20, exact: false });
    // below every boundary: everything may be slow; above every finite boundary: tail 0 .. +Inf tail
    expect(slowCount(h, 0.01, 0)).toEqual({ total: 100, low: 90, high: 100, exact: false });
    expect(slowCount(h, 2, 0)).toEqual({ total: 100, low: 0, high: 1, exact: false });
  });
  it('falls back to the request count without a +Inf bucket', () => {
    expect(histogramTotal([{ le: 0.3, count: 5 }], 7)).toBe(7);
    expect(slowCount([{ le: 0.3, count: 5 }], 0.3, 7).low).toBe(2);
  });
});

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket like PromQL', () => {
    // rank 95 of 100 lies in (0.3, 0.5] which holds ranks 91..96: 0.3 + 0.2 · (95 − 90)/6
    expect(histogramQuantile(h, 0.95, 100)).toBeCloseTo(0.3 + (0.2 * 5) / 6, 12);
    expect(histogramQuantile(h, 0.5, 100)).toBeCloseTo(0.05 + 0.05 * (40 / 40), 12);
    expect(histogramQuantile(h, 0.95, 0)).toBeNull();
  });
});

describe('quantileInterval (binomial order statistics)', () => {
  it('maps exact binomial ranks to bucket edges', () => {
    // n = 100, q = 0.95: P(X ≤ 89) = 0.0115 < 0.025 ≤ P(X ≤ 90) = 0.0282 → rank 90;
    // P(X ≤ 98) = 1 − 0.95^100 − 5·0.95^99 = 0.963 < 0.975 ≤ P(X ≤ 99) → rank 100.
    expect(binomialCdf(89, 100, 0.95)).toBeLessThan(0.025);
    expect(binomialCdf(90, 100, 0.95)).toBeGreaterThanOrEqual(0.025);
    expect(binomialCdf(98, 100, 0.95)).toBeCloseTo(1 - 0.95 ** 100 - 5 * 0.95 ** 99, 10);
    // rank 90 is in (0.2, 0.3] (ranks 81..90); rank 100 is in (1, +Inf].
    const ci = quantileInterval(h, 0.95, 100, 0.95);
    expect(ci).toEqual([0.2, Number.POSITIVE_INFINITY]);
  });
  it('is finite with enough data below the last finite bucket', () => {
    const big = buckets([1000, 4000, 3000, 1000, 700, 300, 0]); // 10,000 requests, 10 % above 0.3 s
    const ci = quantileInterval(big, 0.95, 10_000, 0.95);
    expect(ci).toEqual([0.3, 0.5]);
  });
});
