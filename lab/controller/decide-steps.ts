import { cancelAnalysis, ensureAnalysis, type RunVerdict } from './decide-analysis';
import { addPause, hasPause, isUnpausing, removePause } from './decide-pause';
import { keepUp, scaleTo } from './decide-scale';
import { ensureService, ensureWeight } from './decide-traffic';
import type { Ctx } from './decide-types';
import { event, requeueAt } from './decide-types';
import { parseDurationMs, parseTime } from './duration';
import { atDesiredCount, revisionOf } from './replicasets';
import { canaryReplicasAt, previousSetWeight, setWeightAt, stepString } from './steps';
import { currentCanaryWeight } from './traffic';

/**
 * One pass of the canary walk (Argo's rolloutCanary): analysis first (a failure aborts before any traffic moves),
 * then replica counts, Service selectors, the traffic weight (raised only once the canary is ready), then whether
 * the current step is complete. One step completes per pass; the status write triggers the next pass.
 */
export function progressCanary(ctx: Ctx): void {
  const { st, steps, canary } = ctx;
  const idx = Math.min(Math.max(st.currentStepIndex ?? 0, 0), steps.length);
  const atEnd = st.promoteFull === true || idx >= steps.length;
  const step = atEnd ? undefined : steps[idx];

  const bg = canary.analysis;
  if (!bg?.templates?.length) cancelAnalysis(ctx, 'Background', 0);
  else if (idx >= (bg.startingStep ?? 0)) ensureAnalysis(ctx, 'Background', bg, 0);
  let verdict: RunVerdict | undefined;
  if (!st.abort && step?.analysis) {
    if (step.analysis.templates?.length) verdict = ensureAnalysis(ctx, 'Step', step.analysis, idx);
    else cancelAnalysis(ctx, 'Step', idx);
  }
  if (st.abort) return;

  const desired = atEnd ? ctx.replicas : canaryReplicasAt(steps, idx, ctx.replicas);
  scaleTo(ctx, ctx.newRS, desired);
  keepUp(ctx, ctx.newRS);
  if (ctx.stableRS) {
    scaleTo(ctx, ctx.stableRS, ctx.replicas);
    keepUp(ctx, ctx.stableRS);
  }
  const ready = !ctx.creating && atDesiredCount(ctx.newRS, desired);

  const canarySel = ensureService(ctx, canary.canaryService, ctx.newRS, ctx.hash);
  const stableSel = ctx.stableRS
    ? ensureService(ctx, canary.stableService, ctx.stableRS, st.stableRS ?? ctx.hash)
    : undefined;
  let weight = atEnd ? 100 : setWeightAt(steps, idx);
  if (!ready) weight = previousSetWeight(steps, idx);
  if (canary.canaryService && canarySel !== ctx.hash) weight = 0;
  ensureWeight(ctx, weight, canarySel, stableSel);

  if (atEnd) {
    const routes = canary.trafficRouting?.istio?.virtualService?.routes;
    const applied = currentCanaryWeight(ctx.obs.virtualService, {
      routes,
      canaryService: canary.canaryService ?? '',
      stableService: canary.stableService ?? '',
    });
    if (ready && (applied === 100 || !canary.trafficRouting)) promote(ctx);
    return;
  }
  if (ctx.ro.spec.paused || !step) return;

  let completed = false;
  if (step.setWeight !== undefined) completed = ready && weight === step.setWeight;
  else if (step.setCanaryScale) completed = ready;
  else if (step.pause) completed = pauseStepCompleted(ctx, step.pause.duration);
  else if (step.analysis) completed = verdict === 'Successful';
  else completed = true;
  if (!completed) return;
  st.currentStepIndex = idx + 1;
  st.canary = { ...st.canary, currentStepAnalysisRunStatus: null };
  removePause(ctx, 'CanaryPauseStep');
  event(
    ctx,
    'Normal',
    'RolloutStepCompleted',
    `Rollout step ${idx + 1}/${steps.length} completed (${stepString(step)})`,
  );
}

/** Argo's CompletedCanaryPauseStep: the duration has passed, or a user cleared the pause (promote). */
function pauseStepCompleted(ctx: Ctx, duration: string | number | undefined): boolean {
  const cond = (ctx.st.pauseConditions ?? []).find((p) => p.reason === 'CanaryPauseStep');
  const ms = parseDurationMs(duration);
  if (!cond) {
    if (isUnpausing(ctx)) {
      event(ctx, 'Normal', 'RolloutResumed', 'Rollout is resumed');
      return true;
    }
    if (ms === 0) return true;
    addPause(ctx, 'CanaryPauseStep');
    if (ms !== undefined) requeueAt(ctx, ctx.obs.now + ms);
    return false;
  }
  if (ms === undefined) return false;
  const expiry = (parseTime(cond.startTime) ?? ctx.obs.now) + ms;
  if (ctx.obs.now >= expiry) return true;
  requeueAt(ctx, expiry);
  return false;
}

/** The canary becomes stable: stable Service to the new hash first, then all traffic back to the stable Service. */
function promote(ctx: Ctx): void {
  const { st } = ctx;
  const prevStable = st.stableRS;
  st.stableRS = ctx.hash;
  if (ctx.steps.length > 0) st.currentStepIndex = ctx.steps.length;
  st.promoteFull = false;
  st.pauseConditions = [];
  ctx.stableRS = ctx.newRS;
  const stableSel = ensureService(ctx, ctx.canary.stableService, ctx.newRS, ctx.hash);
  ensureWeight(ctx, 0, ctx.hash, stableSel);
  const why = ctx.steps.length > 0 ? `Completed all ${ctx.steps.length} canary steps` : 'Completed update';
  event(
    ctx,
    'Normal',
    'RolloutCompleted',
    `Rollout completed update to revision ${revisionOf(ctx.newRS)} (${ctx.hash}): ${why}`,
  );
  if (prevStable && hasPause(ctx, 'CanaryPauseStep')) removePause(ctx, 'CanaryPauseStep');
}
