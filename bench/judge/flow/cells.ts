/**
 * Cells of the deployed-flow bench: one (scenario, variant, total rps, scrape interval) simulated `runs` times under
 * every policy on the same seeds (common random numbers), and the rows they give.
 */
import { wilsonInterval } from '../../../lib/slo';
import type { Decision, PromqlAnalysis, RunResult } from './controller';
import type { DeployedFlow } from './manifests';
import { type DeployedScenario, deployedScenarios, type Truth } from './scenarios';
import { type FlowPolicy, POLICIES, seedOf, simulate } from './simulate';

export const SCENARIOS: readonly DeployedScenario[] = deployedScenarios();

export interface CellKey {
  scenario: number;
  totalRps: number;
  scrapeSeconds: number;
}

export const cellName = (k: CellKey) => {
  const s = SCENARIOS[k.scenario];
  return `${s?.id}|${s?.variant}|${k.totalRps}|${k.scrapeSeconds}`;
};

/** Outcomes of runs [from, from + count) of a cell: per policy, then for a paired scenario the reference arm. */
export interface CellBatch {
  key: CellKey;
  from: number;
  outcomes: Record<FlowPolicy, RunResult[]>;
  reference?: Record<FlowPolicy, RunResult[]>;
  /** CPU time per policy (ms, both arms). */
  ms: Record<FlowPolicy, number>;
}

export function runCellBatch(
  key: CellKey,
  from: number,
  count: number,
  flow: DeployedFlow,
  argo: PromqlAnalysis,
  purpose = 'report',
): CellBatch {
  const scenario = SCENARIOS[key.scenario];
  if (!scenario) throw new Error(`no scenario ${key.scenario}`);
  const name = cellName(key);
  const empty = () =>
    Object.fromEntries(POLICIES.map((p) => [p, [] as RunResult[]])) as Record<FlowPolicy, RunResult[]>;
  const outcomes = empty();
  const reference = scenario.paired ? empty() : undefined;
  const ms = Object.fromEntries(POLICIES.map((p) => [p, 0])) as Record<FlowPolicy, number>;
  for (let i = from; i < from + count; i++) {
    const seed = seedOf(purpose, name, i);
    for (const policy of POLICIES) {
      const t0 = performance.now();
      const spec = {
        scenario,
        totalRps: key.totalRps,
        scrapeSeconds: key.scrapeSeconds,
        seed,
        policy,
        flow,
        argo,
      };
      outcomes[policy].push(simulate(spec));
      if (reference) reference[policy].push(simulate({ ...spec, disturbed: false }));
      ms[policy] += performance.now() - t0;
    }
  }
  return { key, from, outcomes, ms, ...(reference ? { reference } : {}) };
}

export interface Rate {
  rate: number;
  /** Wilson 95 % interval. */
  ci: [number, number];
}

export interface Seconds {
  mean: number;
  p50: number;
  p95: number;
}

export interface FlowRow {
  flow: 'deployed';
  policy: FlowPolicy;
  scenario: string;
  variant: string;
  truth: Truth;
  description: string;
  buckets: DeployedScenario['buckets'];
  totalRps: number;
  scrapeSeconds: number;
  runs: number;
  /** P(promoted to 100 %). */
  promote: Rate;
  /** P(rolled back: the rollout aborted). */
  rollback: Rate;
  /** P(paused for a human: a step's analysis ended Inconclusive). */
  pause: Rate;
  /** P(rollback) when the truth is "good" (every SLO met), else null. */
  falseRollback: Rate | null;
  /** Seconds from the canary's first setWeight to the decision, over all runs. */
  decisionSeconds: Seconds;
  rollbackSeconds: Seconds | null;
  /** Share of all runs rolled back within 10, 15 and 35 s (the speed targets). */
  rollbackWithin: Record<string, number>;
  promoteSeconds: Seconds | null;
  /** Decisions per step index (0-based; stepWeights.length = promoted). */
  steps: Record<string, number>;
  /** Judge rows: how many rollbacks each SLO test triggered (a rollback can name several). */
  rollbackBy?: Record<string, number>;
  /** Judge rows: at the pause, how often each promote test had not passed (or a data issue, the step minimum). */
  pauseBlockedBy?: Record<string, number>;
  /** CPU milliseconds per run of this policy (both arms of a paired scenario). */
  msPerRun?: number;
  /** Paired scenarios: the same seeds without the disturbance, and the largest change of a decision rate (points). */
  reference?: {
    promote: number;
    rollback: number;
    pause: number;
    maxChangePoints: number;
    changedRuns: number;
  };
}

const rate = (k: number, n: number): Rate => ({ rate: n > 0 ? k / n : 0, ci: wilsonInterval(k, n) });

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export function seconds(xs: readonly number[]): Seconds | null {
  if (xs.length === 0) return null;
  return {
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    p50: quantile(xs, 0.5),
    p95: quantile(xs, 0.95),
  };
}

const count = (rs: readonly RunResult[], d: Decision) => rs.filter((r) => r.decision === d).length;

export function rowsOf(
  key: CellKey,
  outcomes: Record<FlowPolicy, RunResult[]>,
  reference?: Record<FlowPolicy, RunResult[]>,
  ms?: Record<FlowPolicy, number>,
): FlowRow[] {
  const s = SCENARIOS[key.scenario] as DeployedScenario;
  return POLICIES.map((policy) => {
    const rs = outcomes[policy];
    const n = rs.length;
    const steps: Record<string, number> = {};
    for (const r of rs) steps[`${r.decision}@${r.step}`] = (steps[`${r.decision}@${r.step}`] ?? 0) + 1;
    const row: FlowRow = {
      flow: 'deployed',
      policy,
      scenario: s.id,
      variant: s.variant,
      truth: s.truth,
      description: s.description,
      buckets: s.buckets,
      totalRps: key.totalRps,
      scrapeSeconds: key.scrapeSeconds,
      runs: n,
      promote: rate(count(rs, 'promote'), n),
      rollback: rate(count(rs, 'rollback'), n),
      pause: rate(count(rs, 'pause'), n),
      falseRollback: s.truth === 'good' ? rate(count(rs, 'rollback'), n) : null,
      decisionSeconds: seconds(rs.map((r) => r.at)) ?? { mean: Number.NaN, p50: Number.NaN, p95: Number.NaN },
      rollbackSeconds: seconds(rs.filter((r) => r.decision === 'rollback').map((r) => r.at)),
      rollbackWithin: Object.fromEntries(
        [10, 15, 35].map((x) => [
          String(x),
          n > 0 ? rs.filter((r) => r.decision === 'rollback' && r.at <= x).length / n : 0,
        ]),
      ),
      promoteSeconds: seconds(rs.filter((r) => r.decision === 'promote').map((r) => r.at)),
      steps,
      ...(ms ? { msPerRun: Math.round((10 * ms[policy]) / Math.max(1, n)) / 10 } : {}),
    };
    if (policy === 'judge') {
      const tally = (lists: (string[] | undefined)[]) => {
        const out: Record<string, number> = {};
        for (const l of lists) for (const name of l ?? []) out[name] = (out[name] ?? 0) + 1;
        return out;
      };
      row.rollbackBy = tally(rs.map((r) => r.failing));
      row.pauseBlockedBy = tally(rs.map((r) => r.blocking));
    }
    const ref = reference?.[policy];
    if (ref && ref.length === n) {
      const share = (xs: readonly RunResult[], d: Decision) => count(xs, d) / n;
      const change = (['promote', 'rollback', 'pause'] as const).map((d) =>
        Math.abs(share(rs, d) - share(ref, d)),
      );
      row.reference = {
        promote: share(ref, 'promote'),
        rollback: share(ref, 'rollback'),
        pause: share(ref, 'pause'),
        maxChangePoints: 100 * Math.max(...change),
        changedRuns: rs.filter((r, i) => r.decision !== ref[i]?.decision).length,
      };
    }
    return row;
  });
}
