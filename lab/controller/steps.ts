import { parseDurationMs } from './duration';
import { shortHash } from './hash';
import type { CanaryStep } from './types';

/** Like Argo's ComputeStepHash: changes when the steps change, which restarts the steps. */
export const stepsHash = (steps: CanaryStep[]): string => shortHash(steps);

/** Argo's GetCurrentSetWeight: the last setWeight at or before `index`; 100 once past the last step. */
export function setWeightAt(steps: CanaryStep[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const w = steps[i]?.setWeight;
    if (w !== undefined) return w;
  }
  return 0;
}

/** The weight of the setWeight steps before `index` (what traffic stays at until the canary is ready). */
export function previousSetWeight(steps: CanaryStep[], index: number): number {
  for (let i = Math.min(index, steps.length) - 1; i >= 0; i--) {
    const w = steps[i]?.setWeight;
    if (w !== undefined) return w;
  }
  return 0;
}

/** Canary replicas for a weight: ceil(replicas * w / 100), as Argo's trafficWeightToReplicas. */
export const replicasForWeight = (replicas: number, weight: number): number =>
  Math.min(replicas, Math.ceil((replicas * weight) / 100));

/** The canary's replica count at `index`: a setCanaryScale in force, else from the weight. */
export function canaryReplicasAt(steps: CanaryStep[], index: number, replicas: number): number {
  if (index >= steps.length) return replicas;
  const weight = setWeightAt(steps, index);
  for (let i = index; i >= 0; i--) {
    const s = steps[i]?.setCanaryScale;
    if (!s) continue;
    if (s.matchTrafficWeight) break;
    if (s.replicas !== undefined) return s.replicas;
    if (s.weight !== undefined) return replicasForWeight(replicas, s.weight);
  }
  return replicasForWeight(replicas, weight);
}

/** Argo's CanaryStepString, used in RolloutStepCompleted events. */
export function stepString(s: CanaryStep | undefined): string {
  if (!s) return 'invalid';
  if (s.setWeight !== undefined) return `setWeight: ${s.setWeight}`;
  if (s.pause) {
    const ms = parseDurationMs(s.pause.duration);
    return ms === undefined ? 'pause' : `pause: ${goDuration(ms)}`;
  }
  if (s.experiment) return 'experiment';
  if (s.analysis) return 'analysis';
  if (s.setCanaryScale) {
    const c = s.setCanaryScale;
    if (c.weight !== undefined) return `setCanaryScale{weight: ${c.weight}}`;
    if (c.matchTrafficWeight) return 'setCanaryScale{matchTrafficWeight: true}';
    if (c.replicas !== undefined) return `setCanaryScale{replicas: ${c.replicas}}`;
  }
  return 'invalid';
}

/** Go's time.Duration.String for whole seconds ("30s", "1m0s", "1h0m0s"). */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
