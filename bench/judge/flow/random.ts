/**
 * Random draws for the deployed-flow simulator: Poisson (inversion below mean 10, Hörmann's PTRS above), gamma
 * (Marsaglia–Tsang), and independent named streams so that two arms of a paired comparison consume the same
 * numbers for the same purpose (common random numbers).
 */
import { logGamma, mulberry32, type Rng, sampleBinomial } from '../../../lib/slo';

export type { Rng };
export { sampleBinomial };

/** Poisson(mean) draw. Exact: inversion for small means, transformed rejection (PTRS, Hörmann 1993) above. */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = rng();
    while (prod > limit) {
      k += 1;
      prod *= rng();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -mean + k * loglam - logGamma(k + 1)
    )
      return k;
  }
}

function standardNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, scale) draw (Marsaglia & Tsang 2000; shape < 1 by the U^(1/shape) boost). */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * (1 - rng()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x = 0;
    let v = 0;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return d * v * scale;
  }
}

/** Mean-1 multiplicative burst with coefficient of variation `cv` (gamma, shape 1/cv²); 1 when cv = 0. */
export function burstMultiplier(rng: Rng, cv: number): number {
  if (cv <= 0) return 1;
  return gamma(rng, 1 / (cv * cv), cv * cv);
}

/** Independent generators derived from one seed, one per purpose. */
export class Streams {
  private readonly cache = new Map<string, Rng>();
  constructor(private readonly seed: number) {}

  get(name: string): Rng {
    let r = this.cache.get(name);
    if (!r) {
      r = mulberry32(hashSeed(this.seed, name));
      this.cache.set(name, r);
    }
    return r;
  }
}

/** FNV-1a of the name mixed with the seed (then one murmur finaliser round). */
export function hashSeed(seed: number, name: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
