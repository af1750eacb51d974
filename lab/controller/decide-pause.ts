import type { Ctx } from './decide-types';
import { event } from './decide-types';

export const hasPause = (ctx: Ctx, reason: string): boolean =>
  (ctx.st.pauseConditions ?? []).some((p) => p.reason === reason);

/** Argo's IsUnpausing: the controller paused, a user cleared the pause conditions, the controller has not reacted yet. */
export const isUnpausing = (ctx: Ctx): boolean =>
  ctx.obs.rollout.status?.controllerPause === true &&
  (ctx.obs.rollout.status?.pauseConditions ?? []).length === 0;

export function addPause(ctx: Ctx, reason: string): void {
  if (hasPause(ctx, reason)) return;
  ctx.st.pauseConditions = [...(ctx.st.pauseConditions ?? []), { reason, startTime: ctx.nowStr }];
  ctx.st.controllerPause = true;
  event(ctx, 'Normal', 'RolloutPaused', `Rollout is paused (${reason})`);
}

export function removePause(ctx: Ctx, reason: string): void {
  if (!hasPause(ctx, reason)) return;
  ctx.st.pauseConditions = (ctx.st.pauseConditions ?? []).filter((p) => p.reason !== reason);
}
