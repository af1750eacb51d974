import type { Condition, RolloutSpec, RolloutStatus } from './types';

/** Sets a condition as Argo's SetRolloutCondition: lastTransitionTime moves only when status changes. */
export function setCondition(
  conditions: Condition[],
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: string,
): Condition[] {
  const cur = conditions.find((c) => c.type === type);
  if (cur && cur.status === status && cur.reason === reason && cur.message === message) return conditions;
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastUpdateTime: now,
    lastTransitionTime: cur && cur.status === status ? cur.lastTransitionTime : now,
  };
  return [...conditions.filter((c) => c.type !== type), next];
}

export const removeCondition = (conditions: Condition[], type: string): Condition[] =>
  conditions.filter((c) => c.type !== type);

/** Argo's CalculateRolloutPhase (utils/rollout/rolloututil.go), canary with traffic routing. */
export function calculatePhase(spec: RolloutSpec, status: RolloutStatus): { phase: string; message: string } {
  for (const c of status.conditions ?? []) {
    if (c.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${c.message}` };
    if (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded')
      return { phase: 'Degraded', message: `${c.reason}: ${c.message}` };
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pc = status.pauseConditions?.[0];
  if (pc) return { phase: 'Paused', message: pc.reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt)
    return { phase: 'Progressing', message: 'rollout is restarting' };
  if ((status.updatedReplicas ?? 0) < (spec.replicas ?? 1))
    return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0))
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  if (!status.stableRS || status.stableRS !== status.currentPodHash)
    return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  return { phase: 'Healthy', message: '' };
}
