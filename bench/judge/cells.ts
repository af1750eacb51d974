/** Run one (scenario, totalRps) cell: simulate `runs` data sets and apply the three policies to each. */
import { clopperPearsonUpper, waldExpectedSamples } from '../../lib/slo';
import {
  argoPolicy,
  type Decision,
  flaggerPolicy,
  judgePolicy,
  ORACLE_ALPHA,
  type Outcome,
  oraclePolicy,
  POLICY_NAMES,
  type Policy,
  type PolicyName,
} from './policies';
import { buildScenarios, DEFAULT_BUCKETS, type Scenario } from './scenarios';
import { HORIZON_SECONDS, normalCdf, type Scrape, simulateRun } from './simulate';

export interface Row {
  policy: PolicyName;
  scenario: string;
  totalRps: number;
  runs: number;
  promoteRate: number;
  pauseRate: number;
  rollbackRate: number;
  /** One-sided 95 % Clopper–Pearson upper bounds of the two rates. */
  promoteRateUpper95: number;
  rollbackRateUpper95: number;
  medianDecisionSeconds: number | null;
  p95DecisionSeconds: number | null;
  badRequestsServedMedian: number;
  /**
   * Canary requests at the rollback (median over the runs that rolled back) ÷ Wald's expected sample number
   * E[N | p1] of the SPRT of p0 against the true p1 at α = β = 1 % (judge and sprt-oracle rows).
   */
  samplesOverSprtBound: number | null;
  medianSamplesToDecide: number | null;
}

export const SCENARIOS: readonly Scenario[] = buildScenarios(normalCdf);

const quantile = (xs: number[], q: number): number | null => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
};

/** Canary requests up to `at`, and bad (5xx or > 300 ms) requests served until the horizon or rollback. */
function tally(scrapes: readonly Scrape[], o: Outcome) {
  let samples = 0;
  let bad = 0;
  const end = o.decision === 'rollback' && o.at !== null ? o.at : HORIZON_SECONDS;
  for (const s of scrapes) {
    if (s.t > end) break;
    const promoted = o.decision === 'promote' && o.at !== null && s.t > o.at;
    bad += promoted ? s.canaryBad / s.weight : s.canaryBad;
    if (o.at === null || s.t <= o.at) samples += s.canaryRequests;
  }
  return { samples, bad };
}

export function runCell(scenarioIndex: number, totalRps: number, runs: number): Row[] {
  const scenario = SCENARIOS[scenarioIndex];
  if (!scenario) throw new Error(`no scenario ${scenarioIndex}`);
  const policies: Partial<Record<PolicyName, Policy>> = {
    judge: judgePolicy(),
    argo: argoPolicy,
    flagger: flaggerPolicy,
  };
  // The oracle reads the exact 300 ms slow count, which a histogram without that boundary does not have.
  const observable = scenario.sprt?.on === 'errors' || (scenario.buckets ?? DEFAULT_BUCKETS).includes(0.3);
  if (scenario.sprt && observable) policies['sprt-oracle'] = oraclePolicy(scenario.sprt);
  const names = POLICY_NAMES.filter((name) => policies[name]);
  const acc = names.map(() => ({
    counts: { promote: 0, pause: 0, rollback: 0 } as Record<Decision, number>,
    times: [] as number[],
    bad: [] as number[],
    samples: [] as number[],
  }));
  for (let i = 0; i < runs; i++) {
    const seed = (scenarioIndex * 1_000_003 + totalRps * 7919 + i * 2_654_435_761) >>> 0;
    const scrapes = simulateRun(scenario, { totalRps, seed });
    names.forEach((name, p) => {
      const policy = policies[name];
      const a = acc[p];
      if (!policy || !a) return;
      const o = policy(scrapes);
      a.counts[o.decision]++;
      if (o.at !== null) a.times.push(o.at);
      const t = tally(scrapes, o);
      a.bad.push(t.bad);
      if (o.decision === 'rollback') a.samples.push(t.samples);
    });
  }
  return names.map((policy, p) => {
    const a = acc[p] ?? { counts: { promote: 0, pause: 0, rollback: 0 }, times: [], bad: [], samples: [] };
    const medianSamples = quantile(a.samples, 0.5);
    const withBound = policy === 'judge' || policy === 'sprt-oracle';
    const bound =
      scenario.sprt && withBound
        ? waldExpectedSamples(scenario.sprt.p0, Math.min(scenario.sprt.p1, 0.9999), ORACLE_ALPHA)
        : null;
    return {
      policy,
      scenario: scenario.name,
      totalRps,
      runs,
      promoteRate: a.counts.promote / runs,
      pauseRate: a.counts.pause / runs,
      rollbackRate: a.counts.rollback / runs,
      promoteRateUpper95: clopperPearsonUpper(a.counts.promote, runs),
      rollbackRateUpper95: clopperPearsonUpper(a.counts.rollback, runs),
      medianDecisionSeconds: quantile(a.times, 0.5),
      p95DecisionSeconds: quantile(a.times, 0.95),
      badRequestsServedMedian: quantile(a.bad, 0.5) ?? 0,
      samplesOverSprtBound: bound !== null && medianSamples !== null ? medianSamples / bound : null,
      medianSamplesToDecide: withBound ? medianSamples : null,
    };
  });
}
