import type { Ctx } from './decide-types';
import { event, requeueAt } from './decide-types';
import { parseTime, rfc3339 } from './duration';
import { deadlineOf, hashOf, revisionOf, specReplicas } from './replicasets';
import { type ReplicaSet, SCALE_DOWN_DEADLINE_ANNOTATION } from './types';

/** Scales a ReplicaSet (or the one being created in this pass), with Argo's ScalingReplicaSet event. */
export function scaleTo(ctx: Ctx, rs: ReplicaSet, replicas: number): void {
  const cur = specReplicas(rs);
  if (ctx.creating && rs === ctx.newRS) {
    rs.spec.replicas = replicas;
    return;
  }
  if (cur === replicas) return;
  ctx.actions.push({ type: 'scaleReplicaSet', name: rs.metadata.name ?? '', replicas });
  rs.spec.replicas = replicas;
  const dir = replicas > cur ? 'up' : 'down';
  event(
    ctx,
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${dir} ReplicaSet ${rs.metadata.name} (revision ${revisionOf(rs)}) from ${cur} to ${replicas}`,
  );
}

/** Removes a pending scale-down deadline (the RS is needed again). */
export function keepUp(ctx: Ctx, rs: ReplicaSet): void {
  if (deadlineOf(rs) === undefined || (ctx.creating && rs === ctx.newRS)) return;
  ctx.actions.push({
    type: 'annotateReplicaSet',
    name: rs.metadata.name ?? '',
    annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: null },
  });
}

/** Scales `rs` to zero once its scale-down deadline has passed, setting the deadline first (Argo's scaleDownDelaySeconds). */
export function scaleDownAfterDelay(ctx: Ctx, rs: ReplicaSet, delaySeconds: number): void {
  if (specReplicas(rs) === 0) {
    keepUp(ctx, rs);
    return;
  }
  const deadline = parseTime(deadlineOf(rs));
  if (deadline === undefined) {
    if (delaySeconds <= 0) {
      scaleTo(ctx, rs, 0);
      return;
    }
    const at = ctx.obs.now + delaySeconds * 1000;
    ctx.actions.push({
      type: 'annotateReplicaSet',
      name: rs.metadata.name ?? '',
      annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: rfc3339(at) },
    });
    requeueAt(ctx, at);
    return;
  }
  if (ctx.obs.now >= deadline) {
    scaleTo(ctx, rs, 0);
    keepUp(ctx, rs);
  } else requeueAt(ctx, deadline);
}

/** Old ReplicaSets (neither stable nor current): scaled down after the delay; beyond revisionHistoryLimit, deleted. */
export function reconcileOldReplicaSets(ctx: Ctx): void {
  const keep = new Set([ctx.hash, ctx.st.stableRS]);
  const old = ctx.obs.replicaSets.filter((rs) => !keep.has(hashOf(rs)));
  const delay = ctx.canary.scaleDownDelaySeconds ?? 30;
  for (const rs of old) scaleDownAfterDelay(ctx, rs, delay);
  const limit = ctx.ro.spec.revisionHistoryLimit ?? 10;
  const idle = old
    .filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
    ctx.actions.push({ type: 'deleteReplicaSet', name: rs.metadata.name ?? '' });
}
