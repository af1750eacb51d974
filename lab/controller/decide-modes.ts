import { setCondition } from './conditions';
import { terminateRuns } from './decide-analysis';
import { keepUp, scaleDownAfterDelay, scaleTo } from './decide-scale';
import { ensureService, ensureWeight } from './decide-traffic';
import type { Ctx } from './decide-types';
import { event, requeueAt } from './decide-types';
import { parseTime } from './duration';
import { hashOf, isPodReady, specReplicas } from './replicasets';
import { HASH_LABEL } from './types';

/** Aborted (Argo's abort path): all traffic to stable now, runs stopped, steps back to 0, canary down after the delay. */
export function handleAbort(ctx: Ctx): void {
  const { st, canary } = ctx;
  const firstPass = !ctx.obs.rollout.status?.abortedAt;
  const prevCond = (st.conditions ?? []).find(
    (c) => c.type === 'Progressing' && c.reason === 'RolloutAborted',
  );
  let message = `Rollout aborted update to revision ${ctx.revision}`;
  if (ctx.abortMessage) message += `: ${ctx.abortMessage}`;
  else if (!firstPass && prevCond) message = prevCond.message;
  st.abortedAt = st.abortedAt ?? ctx.nowStr;
  // Argo warns when the RolloutAborted condition is set: also on the pass after a progress-deadline abort.
  if (firstPass || !prevCond) event(ctx, 'Warning', 'RolloutAborted', message);
  if (ctx.steps.length > 0) st.currentStepIndex = 0;
  st.pauseConditions = [];
  st.promoteFull = false;
  terminateRuns(ctx, () => false);
  let stableSel: string | undefined;
  if (ctx.stableRS) {
    scaleTo(ctx, ctx.stableRS, ctx.replicas);
    keepUp(ctx, ctx.stableRS);
    stableSel = ensureService(ctx, canary.stableService, ctx.stableRS, st.stableRS ?? ctx.hash);
  }
  const canarySel = ctx.obs.services.find((s) => s.metadata.name === canary.canaryService)?.spec?.selector?.[
    HASH_LABEL
  ];
  ensureWeight(ctx, 0, canarySel, stableSel);
  if (ctx.stableRS !== ctx.newRS)
    scaleDownAfterDelay(ctx, ctx.newRS, canary.abortScaleDownDelaySeconds ?? 30);
  st.conditions = setCondition(
    st.conditions ?? [],
    'Progressing',
    'False',
    'RolloutAborted',
    message,
    ctx.nowStr,
  );
}

/** Fully promoted (stable == current): full replicas, both Services on the stable hash, weight 0, no runs. */
export function handlePromoted(ctx: Ctx): void {
  const { st, canary } = ctx;
  scaleTo(ctx, ctx.newRS, ctx.replicas);
  keepUp(ctx, ctx.newRS);
  const stableSel = ensureService(ctx, canary.stableService, ctx.newRS, ctx.hash);
  const canarySel = ensureService(ctx, canary.canaryService, ctx.newRS, ctx.hash);
  ensureWeight(ctx, 0, canarySel, stableSel);
  terminateRuns(ctx, () => false);
  if (ctx.steps.length > 0) st.currentStepIndex = ctx.steps.length;
  st.pauseConditions = [];
  st.promoteFull = false;
}

/**
 * `spec.restartAt` (kubectl argo rollouts restart): one pod created before restartAt is deleted at a time, and only
 * while every ReplicaSet has all its pods ready, so capacity never drops by more than one pod.
 */
export function handleRestart(ctx: Ctx): void {
  const restartAt = ctx.ro.spec.restartAt;
  const at = parseTime(restartAt);
  if (!restartAt || at === undefined || ctx.st.restartedAt === restartAt) return;
  if (ctx.obs.now < at) {
    requeueAt(ctx, at);
    return;
  }
  const active = ctx.obs.replicaSets.filter((rs) => specReplicas(rs) > 0);
  const hashes = new Set(active.map(hashOf));
  const pods = ctx.obs.pods.filter(
    (p) => !p.metadata.deletionTimestamp && hashes.has(p.metadata.labels?.[HASH_LABEL]),
  );
  const old = pods
    .filter((p) => (parseTime(p.metadata.creationTimestamp) ?? 0) < at)
    .sort(
      (a, b) =>
        (parseTime(a.metadata.creationTimestamp) ?? 0) - (parseTime(b.metadata.creationTimestamp) ?? 0),
    );
  if (old.length === 0) {
    ctx.st.restartedAt = restartAt;
    event(ctx, 'Normal', 'RolloutRestarted', `Rollout restarted all pods created before ${restartAt}`);
    return;
  }
  const settled = active.every((rs) => {
    const mine = pods.filter((p) => p.metadata.labels?.[HASH_LABEL] === hashOf(rs));
    return mine.length === specReplicas(rs) && mine.every(isPodReady);
  });
  const first = old[0];
  if (!settled || !first) return;
  ctx.actions.push({ type: 'deletePod', name: first.metadata.name ?? '' });
  event(
    ctx,
    'Normal',
    'RestartingPod',
    `Restarting pod ${first.metadata.name} (created before ${restartAt})`,
  );
}
