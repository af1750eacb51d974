/**
 * Seeded pseudo-random numbers for deterministic simulation tests and the bench (pure: the state lives in
 * the returned closure). mulberry32 is a 32-bit generator with period 2^32 — plenty for the ≤ 1e8 draws
 * of a test or bench run.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Exact Binomial(n, p) draw by CDF inversion, in chunks small enough that (1 − p)^m does not underflow
 * (a sum of independent binomials with the same p is binomial). Cost O(n·min(p, 1 − p)).
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  const chunk = Math.max(1, Math.floor(600 / -Math.log1p(-p)));
  let total = 0;
  for (let left = n; left > 0; left -= chunk) total += binomialInversion(rng, Math.min(left, chunk), p);
  return total;
}

function binomialInversion(rng: Rng, n: number, p: number): number {
  const ratio = p / (1 - p);
  let prob = (1 - p) ** n;
  let u = rng();
  let k = 0;
  while (u > prob && k < n) {
    u -= prob;
    prob *= (ratio * (n - k)) / (k + 1);
    k += 1;
  }
  return k;
}
