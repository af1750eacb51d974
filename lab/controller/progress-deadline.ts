import type { Ctx } from './decide-types';
import { parseTime } from './duration';
import { hashOf } from './replicasets';
import { type Condition, type RolloutStatus, SCALE_DOWN_DEADLINE_ANNOTATION } from './types';

/** Argo's DefaultProgressDeadlineSeconds (utils/defaults): the deadline of a Rollout that sets none. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';

/**
 * Argo's conditions.RolloutProgressing for a canary: the update moved on since the status last written (updated
 * replicas changed, old replicas went down, more ready or available replicas, a new stable, another step, new steps).
 */
export function madeProgress(old: RolloutStatus, next: RolloutStatus): boolean {
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  const stepMoved =
    next.currentStepIndex !== undefined &&
    old.currentStepIndex !== undefined &&
    next.currentStepIndex !== old.currentStepIndex;
  return (
    (next.updatedReplicas ?? 0) !== (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0) ||
    next.stableRS !== old.stableRS ||
    stepMoved ||
    next.currentStepHash !== old.currentStepHash
  );
}

/**
 * Whether the deadline counts in this pass (Argo's sync.go): not on an analysis, experiment or pause step, not while
 * the Rollout was paused, and not while another ReplicaSet waits for its scale-down deadline.
 */
export function deadlineCounts(ctx: Ctx): boolean {
  const step = ctx.steps[ctx.st.currentStepIndex ?? 0];
  const indefinite =
    !!(step?.analysis || step?.experiment || step?.pause) ||
    (ctx.obs.rollout.status?.conditions ?? []).some((c) => c.type === 'Paused' && c.status === 'True');
  const waitingScaleDown = ctx.obs.replicaSets.some(
    (rs) =>
      hashOf(rs) !== ctx.hash &&
      hashOf(rs) !== ctx.st.stableRS &&
      !!rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION],
  );
  return !indefinite && !waitingScaleDown;
}

/** The deadline in ms of a Rollout. */
export const deadlineMs = (ctx: Ctx): number =>
  (ctx.ro.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;

/**
 * Argo's conditions.RolloutTimedOut: the Progressing condition is already ProgressDeadlineExceeded, or was last
 * updated more than the deadline ago; never from an aborted or paused condition (a retry does not time out at once).
 */
export function timedOut(cond: Condition | undefined, ms: number, now: number): boolean {
  if (!cond || cond.reason === 'RolloutAborted' || cond.reason === 'RolloutPaused') return false;
  if (cond.reason === TIMED_OUT_REASON) return true;
  const from = parseTime(cond.lastUpdateTime);
  return from !== undefined && from + ms < now;
}
