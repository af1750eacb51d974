/** Plain-language helpers for verdict explanations (pure; fixed en-US formatting). */
import { logEValue, type SideDesign } from './binomial-eprocess';

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return INTEGER.format(n);
}

export function formatPercent(x: number): string {
  const pct = x * 100;
  const digits = pct === 0 ? 0 : pct < 0.1 ? 3 : pct < 10 ? 2 : 1;
  return `${pct.toFixed(digits)} %`;
}

/** E-values span hundreds of orders of magnitude; show 3 significant digits or scientific notation. */
export function formatEValue(logE: number): string {
  if (logE === Number.NEGATIVE_INFINITY) return '0';
  const log10 = logE / Math.LN10;
  if (log10 >= 4) return `1e${Math.floor(log10)}`;
  if (log10 <= -3) return `<0.001`;
  return `${Number(Math.exp(logE).toPrecision(3))}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown time';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Finite e-value for JSON (Infinity is not JSON). */
export function eValueNumber(logE: number): number {
  return Math.min(Math.exp(logE), Number.MAX_VALUE);
}

export interface Projection {
  side: 'rollback' | 'promote';
  moreRequests: number;
}

const MAX_PROJECTED = 1e7;

/**
 * If the observed rate k/n persisted, how many more requests until either bar is crossed? Geometric search
 * then bisection on the (continuous-k) e-value. null when nothing would be decided within 10 M requests.
 */
export function projectDecision(
  k: number,
  n: number,
  p0: number,
  design: { up: SideDesign; down: SideDesign },
  logUpThreshold: number,
  logDownThreshold: number,
): Projection | null {
  const rate = n > 0 ? k / n : 0;
  const decided = (m: number): Projection['side'] | null => {
    if (logEValue(rate * m, m, p0, design.up, 'up') >= logUpThreshold) return 'rollback';
    if (logEValue(rate * m, m, p0, design.down, 'down') >= logDownThreshold) return 'promote';
    return null;
  };
  let lo = Math.max(n, 1);
  let hi = lo;
  let side: Projection['side'] | null = null;
  while (side === null) {
    hi *= 2;
    if (hi > MAX_PROJECTED) return null;
    side = decided(hi);
  }
  for (let i = 0; i < 12 && hi - lo > 1; i++) {
    const mid = Math.floor((lo + hi) / 2);
    if (decided(mid) === side) hi = mid;
    else lo = mid;
  }
  return { side, moreRequests: Math.max(1, hi - n) };
}
