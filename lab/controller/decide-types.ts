import type { EventSpec } from '../runtime/events';
import type {
  AnalysisRun,
  AnalysisTemplate,
  CanaryStep,
  CanaryStrategy,
  Pod,
  ReplicaSet,
  Rollout,
  RolloutStatus,
  Service,
  VirtualService,
} from './types';

/** Everything decide() looks at: the Rollout and the objects it owns or references, and the time. */
export interface Observed {
  now: number;
  rollout: Rollout;
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  analysisTemplates: AnalysisTemplate[];
  clusterAnalysisTemplates: AnalysisTemplate[];
  services: Service[];
  virtualService?: VirtualService;
  pods: Pod[];
}

/** Idempotent changes to the world; applied in order, each a no-op when already true. */
export type Action =
  | { type: 'createReplicaSet'; replicaSet: ReplicaSet }
  | { type: 'scaleReplicaSet'; name: string; replicas: number }
  | { type: 'annotateReplicaSet'; name: string; annotations: Record<string, string | null> }
  | { type: 'deleteReplicaSet'; name: string }
  | { type: 'setServiceSelector'; service: string; hash: string }
  | {
      type: 'setWeights';
      virtualService: string;
      routes?: string[];
      canaryService: string;
      stableService: string;
      weight: number;
    }
  | { type: 'createAnalysisRun'; analysisRun: AnalysisRun }
  | { type: 'terminateAnalysisRun'; name: string }
  | { type: 'deletePod'; name: string }
  | ({ type: 'event' } & EventSpec);

export interface Decision {
  actions: Action[];
  status: RolloutStatus;
  /** Reconcile again after this many ms (pause durations, scale-down delays, restarts). */
  requeueAfterMs?: number;
}

/** Working state of one decide() pass. */
export interface Ctx {
  obs: Observed;
  ro: Rollout;
  canary: CanaryStrategy;
  steps: CanaryStep[];
  replicas: number;
  st: RolloutStatus;
  actions: Action[];
  nowStr: string;
  hash: string;
  newRS: ReplicaSet;
  /** True when newRS is created in this pass. */
  creating: boolean;
  stableRS?: ReplicaSet;
  revision: number;
  abortMessage?: string;
  requeueAt?: number;
}

export function event(ctx: Ctx, eventType: EventSpec['eventType'], reason: string, message: string): void {
  ctx.actions.push({ type: 'event', eventType, reason, message });
}

export function requeueAt(ctx: Ctx, at: number): void {
  ctx.requeueAt = ctx.requeueAt === undefined ? at : Math.min(ctx.requeueAt, at);
}
