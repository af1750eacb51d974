import type { Rollout } from '../rollout/kube-types';
import { canarySteps, currentStepIndex } from '../rollout/steps';

/** An update is under way: the controller has seen a pod template that is not the stable one. */
export function updateInProgress(ro: Rollout): boolean {
  const st = ro.status;
  return Boolean(st?.currentPodHash && st.stableRS && st.currentPodHash !== st.stableRS);
}

export const isPaused = (ro: Rollout): boolean =>
  ro.spec?.paused === true || (ro.status?.pauseConditions ?? []).length > 0;

/** A canary step the controller works on right now (analysis, experiment, a weight not yet reached). */
export function stepWaiting(ro: Rollout): boolean {
  const idx = currentStepIndex(ro);
  return idx !== undefined && idx < canarySteps(ro).length && updateInProgress(ro);
}
