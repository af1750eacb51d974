import { calculatePhase, removeCondition, setCondition } from './conditions';
import { terminateRuns } from './decide-analysis';
import { handleAbort, handlePromoted, handleRestart } from './decide-modes';
import { reconcileOldReplicaSets } from './decide-scale';
import { progressCanary } from './decide-steps';
import type { Ctx, Decision, Observed } from './decide-types';
import { rfc3339 } from './duration';
import { podTemplateHash } from './hash';
import { buildReplicaSet, hashOf, maxRevision, revisionOf } from './replicasets';
import { RUN_TYPE_LABEL, revisionOfRun, STEP_INDEX_LABEL } from './rollout-analysis';
import { finalizeStatus } from './status';
import { stepsHash } from './steps';
import { HASH_LABEL, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, type RolloutStatus } from './types';
import { invalidSpec } from './validate';

export type { Action, Decision, Observed } from './decide-types';

/**
 * The pure heart of the Rollout controller: from the observed objects to the actions that move the world one step
 * on, and the whole status to write (rebuilt each pass). Deterministic for a given input, so it is tested from
 * fixtures; the reconcile loop only observes, applies the actions and writes the status.
 */
export function decide(obs: Observed): Decision {
  const ro = obs.rollout;
  const st: RolloutStatus = structuredClone(ro.status ?? {});
  const nowStr = rfc3339(obs.now);
  const canary = ro.spec.strategy?.canary;
  const problem = invalidSpec(obs);
  if (problem || !canary) {
    const message = `The Rollout "${ro.metadata.name}" is invalid: ${problem ?? 'spec.strategy.canary: Required value'}`;
    const had = (st.conditions ?? []).find((c) => c.type === 'InvalidSpec')?.message === message;
    st.conditions = setCondition(st.conditions ?? [], 'InvalidSpec', 'True', 'InvalidSpec', message, nowStr);
    st.observedGeneration = String(ro.metadata.generation ?? 1);
    Object.assign(st, calculatePhase(ro.spec, st));
    const actions: Decision['actions'] = had
      ? []
      : [{ type: 'event', eventType: 'Warning', reason: 'InvalidSpec', message }];
    return { actions, status: st };
  }
  st.conditions = removeCondition(st.conditions ?? [], 'InvalidSpec');
  const steps = canary.steps ?? [];
  const hash = podTemplateHash(ro.spec.template);
  const maxRev = maxRevision(obs.replicaSets);
  const existing = obs.replicaSets.find((rs) => hashOf(rs) === hash);
  const ctx: Ctx = {
    obs,
    ro,
    canary,
    steps,
    replicas: ro.spec.replicas ?? 1,
    st,
    actions: [],
    nowStr,
    hash,
    newRS: existing ?? buildReplicaSet(ro, hash, maxRev + 1, 0),
    creating: !existing,
    revision: existing ? revisionOf(existing) : maxRev + 1,
  };
  const evt = (reason: string, message: string) =>
    ctx.actions.push({ type: 'event', eventType: 'Normal', reason, message });
  if (ctx.creating) {
    ctx.actions.push({ type: 'createReplicaSet', replicaSet: ctx.newRS });
    evt('NewReplicaSetCreated', `Created ReplicaSet ${ctx.newRS.metadata.name} (revision ${ctx.revision})`);
    evt('RolloutUpdated', `Rollout updated to revision ${ctx.revision}`);
  } else if (ctx.revision < maxRev) {
    // Undo, or a return to an older template: the existing ReplicaSet is reused as the newest revision, and its
    // earlier revisions are kept in revision-history (Argo's SetNewReplicaSetAnnotations).
    const old = ctx.newRS.metadata.annotations?.[REVISION_ANNOTATION];
    const prior = ctx.newRS.metadata.annotations?.[REVISION_HISTORY_ANNOTATION];
    ctx.revision = maxRev + 1;
    const annotations: Record<string, string> = { [REVISION_ANNOTATION]: String(ctx.revision) };
    if (old) annotations[REVISION_HISTORY_ANNOTATION] = prior ? `${prior},${old}` : old;
    ctx.actions.push({ type: 'annotateReplicaSet', name: ctx.newRS.metadata.name ?? '', annotations });
    ctx.newRS.metadata.annotations = { ...ctx.newRS.metadata.annotations, ...annotations };
    evt('RolloutUpdated', `Rollout updated to revision ${ctx.revision}`);
  }
  if (st.currentPodHash !== hash) resetForNewRevision(ctx);
  const sHash = stepsHash(steps);
  if (st.currentStepHash !== sHash) {
    if (st.currentStepHash !== undefined && steps.length > 0) st.currentStepIndex = 0;
    st.currentStepHash = sHash;
  }
  if (steps.length === 0) delete st.currentStepIndex;
  else st.currentStepIndex ??= 0;
  if (!st.stableRS || !obs.replicaSets.some((rs) => hashOf(rs) === st.stableRS)) st.stableRS = hash;
  ctx.stableRS = st.stableRS === hash ? ctx.newRS : obs.replicaSets.find((rs) => hashOf(rs) === st.stableRS);

  if (st.stableRS === hash) handlePromoted(ctx);
  else {
    if (!st.abort && ro.status?.abortedAt) {
      delete st.abortedAt;
      st.canary = {
        ...st.canary,
        currentStepAnalysisRunStatus: null,
        currentBackgroundAnalysisRunStatus: null,
      };
    }
    const idx = String(st.currentStepIndex ?? 0);
    terminateRuns(ctx, (r) => {
      const l = r.metadata.labels ?? {};
      return (
        l[HASH_LABEL] === hash &&
        revisionOfRun(r) === ctx.revision &&
        (l[RUN_TYPE_LABEL] === 'Background' || l[STEP_INDEX_LABEL] === idx)
      );
    });
    if (!st.abort) progressCanary(ctx);
    if (st.abort) handleAbort(ctx);
  }
  handleRestart(ctx);
  reconcileOldReplicaSets(ctx);
  const status = finalizeStatus(ctx);
  const decision: Decision = { actions: ctx.actions, status };
  if (ctx.requeueAt !== undefined) decision.requeueAfterMs = Math.max(0, ctx.requeueAt - obs.now);
  return decision;
}

/** Argo's resetRolloutStatus: a new pod template restarts the steps and clears pause, abort and promote-full. */
function resetForNewRevision(ctx: Ctx): void {
  const { st } = ctx;
  st.currentPodHash = ctx.hash;
  if (ctx.steps.length > 0) st.currentStepIndex = 0;
  st.pauseConditions = [];
  st.abort = false;
  delete st.abortedAt;
  st.promoteFull = false;
  st.canary = { ...st.canary, currentStepAnalysisRunStatus: null, currentBackgroundAnalysisRunStatus: null };
}
