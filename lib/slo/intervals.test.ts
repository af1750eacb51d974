import { describe, expect, it } from 'vitest';
import { clopperPearsonInterval, clopperPearsonUpper, normalQuantile, wilsonInterval } from './intervals';

describe('normalQuantile', () => {
  it('matches tabulated quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874040841, 8);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 8);
  });
});

describe('Wilson interval', () => {
  it('0/10 and 5/10 at 95 %', () => {
    const [lo0, hi0] = wilsonInterval(0, 10);
    expect(lo0).toBe(0);
    const z2 = 1.959963984540054 ** 2;
    expect(hi0).toBeCloseTo(z2 / (10 + z2), 7); // = 0.27753
    const [lo5, hi5] = wilsonInterval(5, 10);
    expect(lo5).toBeCloseTo(0.236593, 5);
    expect(hi5).toBeCloseTo(0.763407, 5);
  });
});

describe('Clopper–Pearson interval', () => {
  it('textbook values at 95 %', () => {
    const [lo0, hi0] = clopperPearsonInterval(0, 10);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(1 - 0.025 ** 0.1, 10); // 0.3085
    const [lo1, hi1] = clopperPearsonInterval(1, 10);
    expect(lo1).toBeCloseTo(1 - 0.975 ** 0.1, 10); // 0.00253
    expect(hi1).toBeCloseTo(0.4450161, 6);
    expect(clopperPearsonInterval(10, 10)[1]).toBe(1);
  });
  it('one-sided upper bound', () => {
    expect(clopperPearsonUpper(0, 10, 0.95)).toBeCloseTo(1 - 0.05 ** 0.1, 10);
    expect(clopperPearsonUpper(0, 2000, 0.95)).toBeLessThan(0.0015);
  });
});
