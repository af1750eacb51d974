import { describe, expect, it } from 'vitest';
import { binomialKl, waldExpectedSamples } from './sprt';

describe('Wald SPRT expected sample size', () => {
  it('KL divergence of Bernoullis', () => {
    expect(binomialKl(0.5, 0.5)).toBe(0);
    expect(binomialKl(1, 0.01)).toBeCloseTo(Math.log(100), 12);
    expect(binomialKl(0.02, 0.01)).toBeCloseTo(0.02 * Math.log(2) + 0.98 * Math.log(0.98 / 0.99), 14);
  });
  it('ASN = (1 − 2α) ln((1 − α)/α) / KL(p1 ‖ p0)', () => {
    const kl = 0.05 * Math.log(5) + 0.95 * Math.log(0.95 / 0.99);
    expect(waldExpectedSamples(0.01, 0.05, 0.01)).toBeCloseTo((0.98 * Math.log(99)) / kl, 9);
    expect(waldExpectedSamples(0.01, 0.05, 0.01)).toBeGreaterThan(100);
    expect(waldExpectedSamples(0.01, 0.05, 0.01)).toBeLessThan(120);
  });
});
