/**
 * Three release policies judged on the same simulated scrapes:
 * - judge: lib/slo `judge()` after every scrape; first PROMOTE or ROLLBACK ends the analysis.
 * - argo: Argo Rollouts style AnalysisTemplate, interval 60 s, success rate over the last minute ≥ 99 % and
 *   histogram_quantile(0.95) ≤ 300 ms; failureLimit 1 (abort on the 2nd failed measurement); promote when
 *   the step schedule ends.
 * - flagger: Flagger style, interval 60 s, same checks; rollback when 5 checks failed; each passing check
 *   advances one step weight, promote after passing at the last weight. (Traffic here follows the fixed
 *   schedule for all policies so the data is identical; Flagger would shift traffic sooner.)
 * Checks with no traffic in the interval are neither passed nor failed.
 * - sprt-oracle (baseline, only where the scenario names its alternative): Wald's SPRT of p0 against the TRUE
 *   p1, α = β = 1 %, on the canary's cumulative 5xx (or > 300 ms) count after every scrape. No valid test
 *   with a false-rollback rate ≤ 1 % can do much better on the same scrapes: it is the floor for the judge.
 */
import {
  histogramQuantile,
  type JudgeConfig,
  judge,
  logSprt,
  slowCount,
  type VersionSample,
} from '../../lib/slo';
import type { Scenario } from './scenarios';
import { HORIZON_SECONDS, type Scrape, STEP_WEIGHTS } from './simulate';

export type Decision = 'promote' | 'pause' | 'rollback';
export interface Outcome {
  decision: Decision;
  /** Seconds since analysis start, null when PAUSE at the horizon. */
  at: number | null;
}
export type Policy = (scrapes: readonly Scrape[]) => Outcome;
export const POLICY_NAMES = ['judge', 'argo', 'flagger', 'sprt-oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export function judgePolicy(config: Partial<JudgeConfig> = {}): Policy {
  return (scrapes) => {
    const canary: VersionSample[] = [];
    const stable: VersionSample[] = [];
    for (const s of scrapes) {
      if (s.missed) continue;
      canary.push(s.canary);
      stable.push(s.stable);
      const v = judge({ now: s.t, canary, stable }, config, { projections: false });
      if (v.verdict !== 'pause') return { decision: v.verdict, at: s.t };
    }
    return { decision: 'pause', at: null };
  };
}

/** increase() between two cumulative samples, PromQL-style reset handling. */
function delta(a: VersionSample | undefined, b: VersionSample): VersionSample {
  const reset = !a || b.requests < a.requests;
  if (reset) return b;
  return {
    observedAt: b.observedAt,
    requests: b.requests - a.requests,
    errors: b.errors - a.errors,
    latencyBuckets: b.latencyBuckets.map((x, i) => ({
      le: x.le,
      count: x.count - (a.latencyBuckets[i]?.count ?? 0),
    })),
  };
}

/** One analysis measurement over [t − 60 s, t]: true = pass, false = fail, null = no data. */
function measure(visible: readonly Scrape[], t: number): boolean | null {
  const upto = visible.filter((s) => s.t <= t);
  const last = upto.at(-1);
  if (!last || last.t <= t - 60) return null;
  const before = upto.filter((s) => s.t <= t - 60).at(-1);
  const d = delta(before?.canary, last.canary);
  if (d.requests <= 0) return null;
  const success = 1 - d.errors / d.requests;
  const p95 = histogramQuantile(d.latencyBuckets, 0.95, d.requests) ?? 0;
  return success >= 0.99 && p95 <= 0.3;
}

function intervalPolicy(
  onCheck: (pass: boolean, t: number, state: { fails: number; passes: number }) => Decision | null,
) {
  return (scrapes: readonly Scrape[]): Outcome => {
    const visible = scrapes.filter((s) => !s.missed);
    const state = { fails: 0, passes: 0 };
    for (let t = 60; t <= HORIZON_SECONDS; t += 60) {
      const m = measure(visible, t);
      if (m === null) continue;
      if (m) state.passes++;
      else state.fails++;
      const d = onCheck(m, t, state);
      if (d) return { decision: d, at: t };
    }
    return { decision: 'pause', at: null };
  };
}

export const argoPolicy: Policy = (scrapes) => {
  const r = intervalPolicy((_pass, _t, st) => (st.fails > 1 ? 'rollback' : null))(scrapes);
  return r.decision === 'rollback' ? r : { decision: 'promote', at: HORIZON_SECONDS };
};

export const flaggerPolicy: Policy = intervalPolicy((pass, _t, st) => {
  if (st.fails >= 5) return 'rollback';
  if (pass && st.passes >= STEP_WEIGHTS.length) return 'promote';
  return null;
});

export const ORACLE_ALPHA = 0.01;

export function oraclePolicy(sprt: NonNullable<Scenario['sprt']>): Policy {
  const upper = Math.log((1 - ORACLE_ALPHA) / ORACLE_ALPHA);
  const lower = Math.log(ORACLE_ALPHA / (1 - ORACLE_ALPHA));
  const p1 = Math.min(sprt.p1, 1 - 1e-9);
  return (scrapes) => {
    for (const s of scrapes) {
      if (s.missed) continue;
      const c = s.canary;
      const k = sprt.on === 'errors' ? c.errors : slowCount(c.latencyBuckets, 0.3, c.requests).low;
      const llr = logSprt(k, c.requests, sprt.p0, p1);
      if (llr >= upper) return { decision: 'rollback', at: s.t };
      if (llr <= lower) return { decision: 'promote', at: s.t };
    }
    return { decision: 'pause', at: null };
  };
}
