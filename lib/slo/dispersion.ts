/**
 * Robustness to bursts: requests within one scrape window are not independent (errors and slow requests come in
 * bursts), so a window's count varies more than a binomial does. We model a window's rate as p·G with G of mean 1 and
 * squared coefficient of variation c² (a gamma-mixed binomial, i.e. quasi-likelihood with dispersion
 * φ = 1 + c²·n·p), and temper each window's likelihood ratio by κ = 1/φ evaluated at the SLO boundary p0:
 *
 *   E_t = ∫ Π_i LR_i(p)^κ_i dπ(p),   κ_i = 1 / (1 + ĉ²_{i−1} · n_i · p0)
 *
 * where ĉ²_{i−1} is estimated from windows BEFORE window i only (both versions, each around its own mean), so κ_i is
 * predictable and the product stays a test supermartingale whenever E[LR_i^κ_i] ≤ 1 under the null; for binomial data
 * (c² = 0) κ = 1 and nothing is lost. Tempering a likelihood ratio by the inverse dispersion is the quasi-likelihood
 * correction (McCullagh & Nelder, Generalized Linear Models, §9.2); it is approximate for large regressions, which is
 * why the bench checks it by simulation with gamma bursts (CV 0.5 and 1.0). Because the mixture's integrand is a
 * product of powers, the whole e-process is the untempered one evaluated at the effective counts Σκ_i·k_i, Σκ_i·n_i.
 *
 * Why not a betting e-process on per-window rates (valid under any within-window dependence): at 10 % of 50 rps a
 * window holds ~25–75 requests, and betting on their rate needs several times the data of the binomial test when
 * requests are independent, which would miss the speed target on every ordinary day to guard against bursty ones.
 */

export interface WindowCounts {
  /** Events (errors or slow requests) and trials in one window of each version. */
  canaryK: number;
  canaryN: number;
  stableK: number;
  stableN: number;
}

/**
 * Shrinkage of ĉ² towards 0: the equivalent of PRIOR_WINDOWS windows without excess variance, each holding at least one
 * expected event. Windows expecting far fewer than one event (a 0.2 % error rate on 25 requests) say almost nothing
 * about burstiness; without this floor two errors that happen to share a window would read as a huge CV.
 */
const PRIOR_WINDOWS = 8;

interface Moments {
  k: number;
  n: number;
  k2n: number;
  n2: number;
  windows: number;
}

const EMPTY: Moments = { k: 0, n: 0, k2n: 0, n2: 0, windows: 0 };

function add(m: Moments, k: number, n: number): Moments {
  if (!(n > 0)) return m;
  return { k: m.k + k, n: m.n + n, k2n: m.k2n + (k * k) / n, n2: m.n2 + n * n, windows: m.windows + 1 };
}

/**
 * Method-of-moments pieces of ĉ² for one version. With S = Σ(k_i − n_i·p̂)²/n_i = Σk_i²/n_i − p̂·Σk_i and
 * Var(k_i) = n_i·p(1−p) + c²·n_i²·p², E[S] = (W−1)·p(1−p) + c²·p²·(N − Σn_i²/N) (W windows, N = Σn_i), so
 * ĉ² = [S − (W−1)·p̂(1−p̂)] / [p̂²·(N − Σn_i²/N)].
 */
function excess(m: Moments): { num: number; den: number; prior: number } {
  if (m.windows < 2 || m.n <= 0) return { num: 0, den: 0, prior: 0 };
  const p = m.k / m.n;
  if (p <= 0 || p >= 1) return { num: 0, den: 0, prior: 0 };
  const pearson = m.k2n - p * m.k;
  const num = pearson - (m.windows - 1) * p * (1 - p);
  const den = Math.max(0, p * p * (m.n - m.n2 / m.n));
  // one window's share of `den` is ≈ p²·n̄ = μ̄²/n̄; a prior window counts as if it expected max(μ̄, 1) events
  const nBar = m.n / m.windows;
  const prior = PRIOR_WINDOWS * Math.max(p * p * nBar, 1 / nBar);
  return { num, den, prior };
}

/** ĉ² from the moments of both versions, each shrunk towards 0 by PRIOR_WINDOWS pseudo-windows. */
export function burstiness(canary: Moments, stable: Moments): number {
  const a = excess(canary);
  const b = excess(stable);
  const den = a.den + b.den + a.prior + b.prior;
  if (den <= 0) return 0;
  return Math.max(0, (a.num + b.num) / den);
}

/**
 * κ_i for every window: 1 / (1 + ĉ²·n_i·p0) with ĉ² from the windows before i (κ_0 = 1). Windows listed oldest first;
 * `skip(i)` windows (shared incidents) are left out of the estimate.
 */
export function temperings(
  windows: readonly WindowCounts[],
  p0: number,
  skip: (i: number) => boolean = () => false,
): number[] {
  let c = EMPTY;
  let s = EMPTY;
  return windows.map((w, i) => {
    const c2 = burstiness(c, s);
    const kappa = 1 / (1 + c2 * w.canaryN * p0);
    if (!skip(i)) {
      c = add(c, w.canaryK, w.canaryN);
      s = add(s, w.stableK, w.stableN);
    }
    return kappa;
  });
}
