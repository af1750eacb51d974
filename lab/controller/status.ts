import { calculatePhase, setCondition } from './conditions';
import { type Ctx, event, requeueAt } from './decide-types';
import { parseTime } from './duration';
import { deadlineCounts, deadlineMs, madeProgress, TIMED_OUT_REASON, timedOut } from './progress-deadline';
import { hashOf } from './replicasets';
import type { Condition, RolloutStatus } from './types';

function selectorString(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Fills in the status fields rebuilt from the world each pass: counts, conditions, phase and message. */
export function finalizeStatus(ctx: Ctx): RolloutStatus {
  const { st, ro } = ctx;
  st.observedGeneration = String(ro.metadata.generation ?? 1);
  st.currentPodHash = ctx.hash;
  const rss = ctx.obs.replicaSets;
  const sum = (f: (s: NonNullable<(typeof rss)[number]['status']>) => number | undefined) =>
    rss.reduce((n, rs) => n + (f(rs.status ?? {}) ?? 0), 0);
  st.replicas = sum((s) => s.replicas);
  st.updatedReplicas = ctx.creating ? 0 : (rss.find((rs) => hashOf(rs) === ctx.hash)?.status?.replicas ?? 0);
  st.readyReplicas = sum((s) => s.readyReplicas);
  st.availableReplicas = sum((s) => s.availableReplicas);
  st.selector = selectorString(ro.spec.selector?.matchLabels);
  if (!st.pauseConditions || st.pauseConditions.length === 0) delete st.pauseConditions;
  st.controllerPause = (st.pauseConditions ?? []).length > 0;
  if (!st.abortedAt) delete st.abortedAt;
  if (st.abort === undefined) st.abort = false;
  if (st.promoteFull === undefined) st.promoteFull = false;

  const now = ctx.nowStr;
  let conds = st.conditions ?? [];
  const fullyPromoted = st.stableRS === ctx.hash;
  const aborted = st.abort && !fullyPromoted;
  const paused = (st.pauseConditions ?? []).length > 0 || ro.spec.paused === true;
  const rsName = ctx.newRS.metadata.name ?? '';
  if (!aborted) {
    if (paused)
      conds = setCondition(conds, 'Progressing', 'Unknown', 'RolloutPaused', 'Rollout is paused', now);
    else if (ctx.creating)
      conds = setCondition(
        conds,
        'Progressing',
        'True',
        'NewReplicaSetCreated',
        `Created new replica set "${rsName}"`,
        now,
      );
    else if (
      fullyPromoted &&
      (st.availableReplicas ?? 0) >= ctx.replicas &&
      st.updatedReplicas === ctx.replicas
    )
      conds = setCondition(
        conds,
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        now,
      );
    else conds = progressOrDeadline(ctx, conds, rsName);
  }
  if (paused) conds = setCondition(conds, 'Paused', 'True', 'RolloutPaused', 'Rollout is paused', now);
  else if (conds.some((c) => c.type === 'Paused'))
    conds = setCondition(conds, 'Paused', 'False', 'RolloutResumed', 'Rollout is resumed', now);
  conds =
    (st.availableReplicas ?? 0) >= ctx.replicas
      ? setCondition(conds, 'Available', 'True', 'AvailableReason', 'Rollout has minimum availability', now)
      : setCondition(
          conds,
          'Available',
          'False',
          'AvailableReason',
          'Rollout does not have minimum availability',
          now,
        );
  st.conditions = conds;
  const { phase, message } = calculatePhase(ro.spec, st);
  st.phase = phase;
  st.message = message;
  const healthy = phase === 'Healthy';
  conds = healthy
    ? setCondition(conds, 'Healthy', 'True', 'RolloutHealthy', 'Rollout is healthy', now)
    : setCondition(conds, 'Healthy', 'False', 'RolloutHealthy', 'Rollout is not healthy', now);
  conds =
    healthy && fullyPromoted
      ? setCondition(conds, 'Completed', 'True', 'RolloutCompleted', 'Rollout is completed', now)
      : setCondition(conds, 'Completed', 'False', 'RolloutCompleted', 'Rollout is not completed', now);
  st.conditions = conds;
  return st;
}

/**
 * A Rollout on its way (Argo's calculateRolloutConditions): progress since the last status renews the Progressing
 * condition's lastUpdateTime; no progress for progressDeadlineSeconds (on a step that is not an analysis, experiment
 * or pause) turns it False with reason ProgressDeadlineExceeded (phase Degraded), and with progressDeadlineAbort the
 * update is aborted (traffic goes back to stable on the next pass, as Argo's abort does).
 */
function progressOrDeadline(ctx: Ctx, conds: Condition[], rsName: string): Condition[] {
  const { st, ro } = ctx;
  const now = ctx.nowStr;
  const cur = conds.find((c) => c.type === 'Progressing');
  const counts = deadlineCounts(ctx);
  if (madeProgress(ro.status ?? {}, st)) {
    const next: Condition = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rsName}" is progressing.`,
      lastUpdateTime: now,
      lastTransitionTime: cur?.status === 'True' ? cur.lastTransitionTime : now,
    };
    if (counts) requeueAt(ctx, ctx.obs.now + deadlineMs(ctx) + 1000);
    return [...conds.filter((c) => c.type !== 'Progressing'), next];
  }
  if (counts && timedOut(cur, deadlineMs(ctx), ctx.obs.now)) {
    const message = `ReplicaSet "${rsName}" has timed out progressing.`;
    const next = setCondition(conds, 'Progressing', 'False', TIMED_OUT_REASON, message, now);
    if (ro.spec.progressDeadlineAbort && !st.abort) {
      st.abort = true;
      st.abortedAt = now;
      event(ctx, 'Warning', 'RolloutAborted', message);
    }
    return next;
  }
  // No progress yet: the condition stays as it is (a deadline already exceeded stays until progress is made).
  if (cur?.reason === TIMED_OUT_REASON) return conds;
  const next = setCondition(
    conds,
    'Progressing',
    'True',
    'ReplicaSetUpdated',
    `ReplicaSet "${rsName}" is progressing.`,
    now,
  );
  const from = parseTime(next.find((c) => c.type === 'Progressing')?.lastUpdateTime);
  if (counts && from !== undefined) requeueAt(ctx, from + deadlineMs(ctx) + 1000);
  return next;
}
