/**
 * One binomial SLO test over windows: the rollback e-value combined over attempts and steps (phases.ts), the promote
 * e-value on the current step's windows, both on burst-tempered effective counts (dispersion.ts).
 */
import { type BinomialDesign, logEValue, logSumExp } from './binomial-eprocess';
import type { Phases } from './phases';

export interface TestWindow {
  /** Unix seconds where the window starts (−∞ for the first window without attempt information). */
  start: number;
  /** Events counted for the rollback side (the lower bracket of a slow count) and for the promote side (the upper). */
  kUp: number;
  kDown: number;
  n: number;
  /** Burst tempering exponent of the window, in (0, 1]. */
  kappa: number;
  /** Shared incident: left out of the absolute tests. */
  excluded: boolean;
}

export interface Counted {
  k: number;
  n: number;
}

export interface TestEvidence {
  p0: number;
  design: BinomialDesign;
  /** ln E↑ of the combined rollback e-value, and ln of its threshold 1/α. */
  logUp: number;
  logUpThreshold: number;
  /** ln E↓ on the current step's windows, and ln of 1/α_P for this attempt. */
  logDown: number;
  logDownThreshold: number;
  /** Raw counts (rollback side) over every window, and at the current step (promote side). */
  pooled: Counted;
  step: Counted;
  /** Tempered counts behind the e-values. */
  effectivePooled: Counted;
  effectiveStep: Counted;
  /** Mean κ over the windows used for PROMOTE (1 = no bursts seen). */
  stepKappa: number;
  rollback: boolean;
  promote: boolean;
}

function sumFrom(ws: readonly TestWindow[], from: number, side: 'up' | 'down') {
  let k = 0;
  let n = 0;
  let ek = 0;
  let en = 0;
  for (const w of ws) {
    if (w.excluded || w.start < from) continue;
    const kk = side === 'up' ? w.kUp : w.kDown;
    k += kk;
    n += w.n;
    ek += w.kappa * kk;
    en += w.kappa * w.n;
  }
  return { raw: { k, n }, eff: { k: ek, n: en } };
}

export function testEvidence(
  windows: readonly TestWindow[],
  phases: Phases,
  p0: number,
  alphaUp: number,
  design: BinomialDesign,
): TestEvidence {
  const terms: number[] = [];
  for (const c of phases.components) {
    if (c.weight <= 0) continue;
    const { eff } = sumFrom(windows, c.start, 'up');
    terms.push(Math.log(c.weight) + logEValue(eff.k, eff.n, p0, design.up, 'up'));
  }
  if (phases.idleWeight > 0) terms.push(Math.log(phases.idleWeight));
  const logUp = logSumExp(terms);
  const pooled = sumFrom(windows, Number.NEGATIVE_INFINITY, 'up');
  const step = sumFrom(windows, phases.stepStart, 'down');
  const logDown = logEValue(step.eff.k, step.eff.n, p0, design.down, 'down');
  const logUpThreshold = Math.log(1 / alphaUp);
  const logDownThreshold = Math.log(1 / phases.alphaPromote);
  return {
    p0,
    design,
    logUp,
    logUpThreshold,
    logDown,
    logDownThreshold,
    pooled: pooled.raw,
    step: step.raw,
    effectivePooled: pooled.eff,
    effectiveStep: step.eff,
    stepKappa: step.raw.n > 0 ? step.eff.n / step.raw.n : 1,
    rollback: logUp >= logUpThreshold,
    promote: logDown >= logDownThreshold,
  };
}
