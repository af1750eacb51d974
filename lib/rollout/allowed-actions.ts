import type { Rollout } from './kube-types';
import { canarySteps, currentStepIndex } from './steps';

export interface ActionCheck {
  ok: boolean;
  reason: string | null;
}
export const ROLLOUT_ACTIONS = [
  'promote',
  'promoteFull',
  'abort',
  'retry',
  'restart',
  'pause',
  'resume',
  'undo',
  'launch',
] as const;
export type RolloutActionName = (typeof ROLLOUT_ACTIONS)[number];
export type AllowedActions = Record<RolloutActionName, ActionCheck>;

const yes: ActionCheck = { ok: true, reason: null };
const no = (reason: string): ActionCheck => ({ ok: false, reason });

/** An update is under way: the controller has seen a pod template that is not the stable one. */
export function updateInProgress(ro: Rollout): boolean {
  const st = ro.status;
  return Boolean(st?.currentPodHash && st.stableRS && st.currentPodHash !== st.stableRS);
}

export const isPaused = (ro: Rollout): boolean =>
  ro.spec?.paused === true || (ro.status?.pauseConditions ?? []).length > 0;

/** A canary step the controller works on right now (analysis, experiment, a weight not yet reached). */
function stepWaiting(ro: Rollout): boolean {
  const idx = currentStepIndex(ro);
  return idx !== undefined && idx < canarySteps(ro).length && updateInProgress(ro);
}

/**
 * Which actions make sense now and, if not, why (the reasons the API gives with 409 and the UI shows on disabled
 * buttons). `otherRevisions` is how many ReplicaSet revisions besides the current one exist (for undo).
 */
export function allowedActions(ro: Rollout, opts: { otherRevisions: number }): AllowedActions {
  const aborted = ro.status?.abort === true;
  const inProgress = updateInProgress(ro);
  const hasStatus = ro.status?.currentPodHash !== undefined;
  const promote = aborted
    ? no('the rollout is aborted: retry or undo first')
    : isPaused(ro) || stepWaiting(ro)
      ? yes
      : no('nothing is paused and no step is waiting');
  const promoteFull = aborted
    ? no('the rollout is aborted: retry or undo first')
    : inProgress
      ? yes
      : no(hasStatus ? 'already fully promoted' : 'the controller has not reported a status yet');
  const abort = aborted
    ? no('already aborted')
    : inProgress
      ? yes
      : no(hasStatus ? 'healthy with nothing in progress' : 'the controller has not reported a status yet');
  return {
    promote,
    promoteFull,
    abort,
    retry: aborted ? yes : no('not aborted'),
    restart: yes,
    pause: ro.spec?.paused === true ? no('already paused') : yes,
    resume: ro.spec?.paused === true ? yes : no('not paused'),
    undo: opts.otherRevisions > 0 ? yes : no('no other revision to go back to'),
    launch:
      (ro.spec?.template?.spec?.containers ?? []).length > 0 ? yes : no('the rollout has no containers'),
  };
}
