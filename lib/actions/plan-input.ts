import type { ReplicaSet, Rollout, VirtualService } from '../rollout/kube-types';
import type { LoadJob } from '../rollout/load-progress';
import type { LoadTarget } from '../schemas/load-targets';

/** A ConfigMap as the faults plan reads it. */
export interface ConfigMapLike {
  metadata?: { resourceVersion?: string };
  data?: Record<string, string>;
}

/** The objects besides the rollout a plan may need; the server reads fresh the ones the action's `reads` names. */
export interface Observed {
  /** undo: the ReplicaSets the rollout owns. */
  replicaSets: ReplicaSet[];
  /** faults (canary): ConfigMap webapp-faults, null when there is none yet. */
  faultsConfigMap: ConfigMapLike | null;
  /** faults (mesh): the VirtualService the rollout names. */
  virtualService: VirtualService;
  /** load: the rollout's load Jobs still running. */
  loadJobs: LoadJob[];
  /** load: the configured target the body names (omitted: the first). */
  loadTarget: LoadTarget;
}
export type ObservedKey = keyof Observed;

/** Everything a plan decides from: the rollout as read just now, the validated body, the time, the other reads. */
export interface PlanInput<B> extends Partial<Observed> {
  rollout: Rollout;
  body: B;
  now: Date;
}

/** A required read that the server did not make (a programming error, never a user's). */
export function need<K extends ObservedKey>(input: Partial<Observed>, key: K): Observed[K] {
  const v = input[key];
  if (v === undefined) throw new Error(`the plan needs ${key}, which was not read`);
  return v as Observed[K];
}
