/**
 * The controllers of the deployed flow, on the simulated world:
 * - Argo Rollouts: setWeight → AnalysisRun → next setWeight only when the run is Successful; a Failed run aborts
 *   the rollout (weight 0), an Inconclusive one pauses it for a human. Runs are assessed with the lab controller's
 *   port of Argo's `assessMetricStatus` (lab/controller/analysis/assess.ts), measurement by measurement.
 *   - `judge`: the AnalysisTemplate of manifests/app/41-analysistemplate-judge.yaml (the web metric polls
 *     lib/slo `judge()` every interval; "promote" is a success, "rollback" a failure, "pause" inconclusive).
 *   - `argo-promql`: Argo's classic analysis with two Prometheus metrics, success rate ≥ 99 % and
 *     histogram_quantile(0.95) ≤ 300 ms over `rate(…[1m])`, each with its own failureLimit (tuned, see tune.ts).
 * - Flagger: every 60 s, roll back when failed checks reached the threshold; else run the same two checks (no data
 *   is a failed check, as in Flagger's scheduler); a pass moves to the next step weight, a pass at the last step
 *   promotes.
 * Controller latencies: the gateways apply a new weight 1–2 s after it is written, an AnalysisRun is created 0–1 s
 * after its setWeight and the next step starts 0–1 s after a run completes.
 */

import { assessMetricStatus, isWorse, type Metric, type MetricResult } from '@control-center/lab/testing';
import { type JudgeConfig, type JudgeInput, judge, resolveConfig, type Verdict } from '../../../lib/slo';
import type { DeployedFlow } from './manifests';
import { durationSeconds } from './manifests';
import { histogramQuantileQuery, ServerReader, successRateQuery } from './prom';
import type { Rng } from './random';
import type { World } from './world';

export type Decision = 'promote' | 'pause' | 'rollback';
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive';

export interface RunResult {
  decision: Decision;
  /** Seconds from the canary's first setWeight to the decision (the run outcome or Flagger's tick). */
  at: number;
  /** Index of the step (0-based) the decision was taken at; stepWeights.length for a promotion. */
  step: number;
  /** Judge rollbacks: the SLOs whose rollback evidence crossed. */
  failing?: string[];
  /** Judge pauses: at the last poll, the promote tests not passed yet, or "data: …" / "step minimum". */
  blocking?: string[];
}

export interface FlowContext {
  world: World;
  flow: DeployedFlow;
  rng: Rng;
  judgeConfig?: Partial<JudgeConfig>;
  /** false: call the judge at every poll even when its inputs did not change (see Memo). */
  memo?: boolean;
  /** Debugging: sees every judge verdict (every poll calls the judge). */
  trace?: (t: number, verdict: Verdict, input: JudgeInput) => void;
}

export interface MeasuredMetric {
  metric: Metric;
  measure: (t: number) => MeasurementPhase;
}

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/** One AnalysisRun: measurements every interval from `created + initialDelay` until every metric completed. */
export function runAnalysis(
  world: World,
  created: number,
  metrics: readonly MeasuredMetric[],
): { phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error'; at: number } {
  const results: MetricResult[] = metrics.map((m) => ({ name: m.metric.name, phase: 'Running', count: 0 }));
  const next = metrics.map((m) => created + durationSeconds(m.metric.initialDelay, 0));
  for (;;) {
    const open = metrics.map((_, i) => i).filter((i) => !COMPLETED.has(results[i]?.phase ?? ''));
    const t = Math.min(...open.map((i) => next[i] ?? Number.POSITIVE_INFINITY));
    world.advanceTo(t);
    for (const i of open) {
      if (next[i] !== t) continue;
      const m = metrics[i] as MeasuredMetric;
      const r = results[i] as MetricResult;
      const phase = m.measure(t);
      r.count = (r.count ?? 0) + 1;
      if (phase === 'Successful') {
        r.successful = (r.successful ?? 0) + 1;
        r.consecutiveSuccess = (r.consecutiveSuccess ?? 0) + 1;
      } else {
        r.consecutiveSuccess = 0;
        if (phase === 'Failed') r.failed = (r.failed ?? 0) + 1;
        else r.inconclusive = (r.inconclusive ?? 0) + 1;
      }
      r.measurements = [{ phase }];
      r.phase = assessMetricStatus(m.metric, r, false);
      next[i] = t + durationSeconds(m.metric.interval, 10);
    }
    let worst: string | undefined;
    let done = true;
    for (const r of results) {
      if (!COMPLETED.has(r.phase)) {
        done = false;
        continue;
      }
      if (worst === undefined || isWorse(worst, r.phase)) worst = r.phase;
    }
    // A metric that ended badly terminates the run (Argo's IsTerminating); the others stop where they are.
    if (worst && worst !== 'Successful') return { phase: worst as 'Failed', at: t };
    if (done) return { phase: 'Successful', at: t };
  }
}

const pick = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

/** Argo Rollouts' canary steps with one AnalysisRun per step, built by `analysis` for each step. */
export function argoRollout(
  ctx: FlowContext,
  analysis: (step: number, created: number) => MeasuredMetric[],
): RunResult {
  const { world, flow, rng } = ctx;
  let t = 0;
  for (let step = 0; step < flow.stepWeights.length; step++) {
    world.setWeightAt(t + pick(rng, 1, 2), flow.stepWeights[step] as number);
    const created = t + pick(rng, 0, 1);
    const run = runAnalysis(world, created, analysis(step, created));
    if (run.phase === 'Failed' || run.phase === 'Error') {
      world.setWeightAt(run.at + pick(rng, 1, 2), 0);
      return { decision: 'rollback', at: run.at, step };
    }
    if (run.phase === 'Inconclusive') return { decision: 'pause', at: run.at, step };
    if (step === flow.stepWeights.length - 1) {
      world.setWeightAt(run.at + pick(rng, 1, 3), 1);
      return { decision: 'promote', at: run.at, step: flow.stepWeights.length };
    }
    t = run.at + pick(rng, 0, 1);
  }
  throw new Error('unreachable');
}

/**
 * The judge behind the deployed AnalysisTemplate, fed the way the control center feeds it: the evidence and the step
 * starts are the creation times of the step AnalysisRuns (server/slo/attribution.ts), the data as ServerReader reads it.
 */
export function judgeFlow(ctx: FlowContext): RunResult {
  const { world, flow } = ctx;
  const reader = new ServerReader(world);
  const stepStarts: { attempt: number; start: number }[] = [];
  let failing: string[] = [];
  let blocking: string[] = [];
  const staleness = resolveConfig(ctx.judgeConfig ?? {}).stalenessSeconds;
  let memo: Memo | null = null;
  const result = argoRollout(ctx, (_step, created) => {
    stepStarts.push({ attempt: 1, start: created });
    const since = (stepStarts[0] as { start: number }).start;
    const measure = (t: number): MeasurementPhase => {
      const data = reader.read(since, t);
      if (ctx.memo !== false && !ctx.trace && memo && sameInput(memo, data, stepStarts.length, t, staleness))
        return 'Inconclusive';
      memo = null;
      const input: JudgeInput = {
        now: t,
        canary: data?.canary ?? [],
        stable: data?.stable ?? [],
        attempt: {
          number: 1,
          start: since,
          stepStarts: [...stepStarts],
          stepsPerAttempt: flow.stepWeights.length,
        },
        ...(data && data.newestSampleAt !== null ? { newestSampleAt: data.newestSampleAt } : {}),
      };
      const v = judge(input, ctx.judgeConfig ?? {}, { projections: false });
      ctx.trace?.(t, v, input);
      if (v.verdict === 'rollback') failing = v.slos.filter((x) => x.status === 'fail').map((x) => x.name);
      if (v.verdict === 'pause') {
        blocking = v.slos
          .filter((x) => x.evidence.promote !== null && x.status !== 'pass')
          .map((x) => x.name);
        if (v.dataIssues.length > 0) blocking.push('data issue');
        const st = v.step;
        const stepShort = st !== null && (st.seconds < st.minSeconds || st.requests < st.minRequests);
        if (stepShort) blocking.push('step minimum');
        if (data && v.dataIssues.length === 0 && st && !stepShort)
          memo = {
            canary: data.canary,
            canaryLength: data.canary.length,
            stable: data.stable,
            stableLength: data.stable.length,
            newest: data.newestSampleAt,
            steps: stepStarts.length,
          };
      }
      return v.verdict === 'promote' ? 'Successful' : v.verdict === 'rollback' ? 'Failed' : 'Inconclusive';
    };
    return [{ metric: flow.judgeMetric, measure }];
  });
  if (result.decision === 'rollback') return { ...result, failing };
  if (result.decision === 'pause') return { ...result, blocking };
  return result;
}

/**
 * A PAUSE with no data problem and the step minimum met, and the judge's inputs unchanged since (the same grid
 * points: the grid step is coarser than the poll interval once the evidence is older than 10 min; the same steps;
 * a newest raw sample that is fresh either way, as `newestSampleAt` only serves the staleness check): the judge would
 * answer PAUSE again, as long as the newest grid point and raw sample are well inside the staleness limit. The bench skips those calls (about half the calls of a long paused step); --no-memo checks it.
 */
interface Memo {
  canary: readonly unknown[];
  canaryLength: number;
  stable: readonly unknown[];
  stableLength: number;
  newest: number | null;
  steps: number;
}

function sameInput(
  m: Memo,
  data: {
    canary: readonly { observedAt: number }[];
    stable: readonly unknown[];
    newestSampleAt: number | null;
  } | null,
  steps: number,
  now: number,
  stalenessSeconds: number,
): boolean {
  if (!data) return false;
  const last = data.canary.at(-1);
  return (
    data.canary === m.canary &&
    data.canary.length === m.canaryLength &&
    data.stable === m.stable &&
    data.stable.length === m.stableLength &&
    steps === m.steps &&
    last !== undefined &&
    now - last.observedAt <= stalenessSeconds / 2 &&
    m.newest !== null &&
    data.newestSampleAt !== null &&
    now - data.newestSampleAt <= stalenessSeconds / 2
  );
}

export interface PromqlAnalysis {
  /** Per metric. */
  failureLimit: number;
  /** Measurements per step (the step's time budget is initialDelay + (count − 1) × interval). */
  count: number;
  intervalSeconds: number;
  initialDelaySeconds: number;
  inconclusiveLimit: number;
}

const SUCCESS_MIN = 0.99;
const P95_MAX_MS = 300;

/** Success-rate check: Successful, Failed, or Inconclusive on an empty or NaN result (the repo template's guards). */
export function successCheck(world: World, t: number): MeasurementPhase {
  const r = successRateQuery(world, 'canary', t);
  if (r === null || Number.isNaN(r)) return 'Inconclusive';
  return r >= SUCCESS_MIN ? 'Successful' : 'Failed';
}

export function p95Check(world: World, t: number): MeasurementPhase {
  const q = histogramQuantileQuery(world, 'canary', 0.95, t);
  if (q === null || Number.isNaN(q)) return 'Inconclusive';
  return q <= P95_MAX_MS ? 'Successful' : 'Failed';
}

/** Argo's classic PromQL analysis: success rate and P95 as two metrics of one AnalysisRun per step. */
export function argoPromqlFlow(ctx: FlowContext, a: PromqlAnalysis): RunResult {
  const metric = (name: string): Metric => ({
    name,
    interval: `${a.intervalSeconds}s`,
    initialDelay: `${a.initialDelaySeconds}s`,
    count: a.count,
    failureLimit: a.failureLimit,
    inconclusiveLimit: a.inconclusiveLimit,
    provider: { prometheus: { query: name } },
  });
  return argoRollout(ctx, () => [
    { metric: metric('success-rate'), measure: (t) => successCheck(ctx.world, t) },
    { metric: metric('p95-latency'), measure: (t) => p95Check(ctx.world, t) },
  ]);
}

export interface FlaggerAnalysis {
  intervalSeconds: number;
  threshold: number;
}

/** Flagger's canary analysis with stepWeights = the rollout's step weights, promotion after a pass at the last. */
export function flaggerFlow(ctx: FlowContext, a: FlaggerAnalysis): RunResult {
  const { world, flow, rng } = ctx;
  let failed = 0;
  let step = 0;
  world.setWeightAt(pick(rng, 1, 2), flow.stepWeights[0] as number);
  for (let t = a.intervalSeconds; ; t += a.intervalSeconds) {
    world.advanceTo(t);
    if (failed >= a.threshold) {
      world.setWeightAt(t + pick(rng, 1, 2), 0);
      return { decision: 'rollback', at: t, step };
    }
    const pass = successCheck(world, t) === 'Successful' && p95Check(world, t) === 'Successful';
    if (!pass) {
      failed++;
      continue;
    }
    if (step === flow.stepWeights.length - 1) {
      world.setWeightAt(t + pick(rng, 1, 3), 1);
      return { decision: 'promote', at: t, step: flow.stepWeights.length };
    }
    step++;
    world.setWeightAt(t + pick(rng, 1, 2), flow.stepWeights[step] as number);
  }
}
