/** One simulated canary of a deployed-flow scenario under one policy. */

import {
  argoPromqlFlow,
  type FlaggerAnalysis,
  type FlowContext,
  flaggerFlow,
  judgeFlow,
  type PromqlAnalysis,
  type RunResult,
} from './controller';
import { type BucketSet, bucketsOf } from './latency';
import type { DeployedFlow } from './manifests';
import { hashSeed, Streams } from './random';
import { type DeployedScenario, worldOptions } from './scenarios';
import { World } from './world';

export const POLICIES = ['judge', 'argo-promql', 'flagger'] as const;
export type FlowPolicy = (typeof POLICIES)[number];

/** BENCH_JUDGE_MEMO=0 turns the skipping of unchanged-input judge calls off (controller.ts, Memo). */
export const MEMO = process.env.BENCH_JUDGE_MEMO !== '0';

/** Flagger as the timer bench had it (not tuned): interval 60 s, rollback after 5 failed checks. */
export const FLAGGER: FlaggerAnalysis = { intervalSeconds: 60, threshold: 5 };

export interface RunSpec {
  scenario: DeployedScenario;
  totalRps: number;
  scrapeSeconds: number;
  seed: number;
  policy: FlowPolicy;
  flow: DeployedFlow;
  argo: PromqlAnalysis;
  /** false: the reference arm of a paired scenario. */
  disturbed?: boolean;
  buckets?: BucketSet;
  trace?: FlowContext['trace'];
  memo?: boolean;
}

export function simulate(spec: RunSpec): RunResult {
  const streams = new Streams(spec.seed);
  const bounds = bucketsOf(spec.buckets ?? spec.scenario.buckets);
  const { options, before } = worldOptions(
    spec.scenario,
    spec.totalRps,
    spec.scrapeSeconds,
    spec.seed,
    bounds,
    streams.get('scenario'),
    spec.disturbed ?? true,
  );
  const world = new World(options);
  for (const b of before) world.setWeightAt(b.at, b.weight);
  world.advanceTo(0);
  const ctx = {
    world,
    flow: spec.flow,
    rng: streams.get('controller'),
    trace: spec.trace,
    memo: spec.memo ?? MEMO,
  };
  if (spec.policy === 'judge') return judgeFlow(ctx);
  if (spec.policy === 'argo-promql') return argoPromqlFlow(ctx, spec.argo);
  return flaggerFlow(ctx, FLAGGER);
}

/** Seed of run `i` of a cell; `purpose` separates reported cells, tuning and efficiency (never the same seeds). */
export function seedOf(purpose: string, key: string, i: number): number {
  return hashSeed(hashSeed(i, purpose), key);
}
