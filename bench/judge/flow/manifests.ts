/**
 * The deployed flow as the repository ships it: canary weights from manifests/app/50-rollout.yaml and the judge's
 * AnalysisTemplate metric from manifests/app/41-analysistemplate-judge.yaml, read at bench start so a re-run follows
 * the manifests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Metric } from '@control-center/lab/testing';
import { parse } from 'yaml';

export interface DeployedFlow {
  /** Canary weight (0–1) of each step that is followed by an analysis, in order. */
  stepWeights: number[];
  /** The judge metric of the AnalysisTemplate (interval, count, limits). */
  judgeMetric: Metric;
  intervalSeconds: number;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

export function durationSeconds(d: string | undefined, fallback: number): number {
  if (!d) return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d.trim());
  if (!m) return fallback;
  const n = Number(m[1]);
  const unit = m[2];
  return unit === 'ms' ? n / 1000 : unit === 's' ? n : unit === 'm' ? n * 60 : n * 3600;
}

export function readDeployedFlow(root = ROOT): DeployedFlow {
  const rollout = parse(readFileSync(path.join(root, 'manifests/app/50-rollout.yaml'), 'utf8')) as {
    spec: { strategy: { canary: { steps: Array<{ setWeight?: number; analysis?: unknown }> } } };
  };
  const steps = rollout.spec.strategy.canary.steps;
  const stepWeights: number[] = [];
  let weight = 0;
  for (const s of steps) {
    if (typeof s.setWeight === 'number') weight = s.setWeight / 100;
    if (s.analysis) stepWeights.push(weight);
  }
  const template = parse(
    readFileSync(path.join(root, 'manifests/app/41-analysistemplate-judge.yaml'), 'utf8'),
  ) as { spec: { metrics: Metric[] } };
  const judgeMetric = template.spec.metrics[0];
  if (!judgeMetric || stepWeights.length === 0) throw new Error('deployed flow: no analysis steps or metric');
  return { stepWeights, judgeMetric, intervalSeconds: durationSeconds(judgeMetric.interval, 10) };
}
