import 'server-only';
import { allowedActions, updateInProgress } from '@/lib/rollout/allowed-actions';
import type { Rollout } from '@/lib/rollout/kube-types';
import { canarySteps, currentStepIndex } from '@/lib/rollout/steps';
import { type ActionResult, actionResult, conflict, type SentPatch } from './action-types';
import type { KubeClients } from './client';
import { getRollout, patchMain, patchStatusThenMain } from './rollout-api';

const check = (ro: Rollout, action: 'promote' | 'promoteFull' | 'abort' | 'retry'): void => {
  const c = allowedActions(ro, { otherRevisions: 0 })[action];
  if (!c.ok) throw conflict(`cannot ${action === 'promoteFull' ? 'promote-full' : action}: ${c.reason}`);
};

interface Patches {
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/** kubectl-argo-rollouts' getPatches for `promote` (without --full). */
export function promotePatches(ro: Rollout): Patches {
  const st = ro.status ?? {};
  const out: Patches = {};
  if (ro.spec?.paused) out.spec = { paused: false };
  const idx = currentStepIndex(ro);
  const next = idx !== undefined && idx < canarySteps(ro).length ? idx + 1 : idx;
  const paused = (st.pauseConditions ?? []).length > 0;
  const inconclusive = st.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  if (inconclusive && paused && st.controllerPause) {
    out.status = {
      pauseConditions: null,
      controllerPause: false,
      ...(next === undefined ? {} : { currentStepIndex: next }),
    };
  } else if (paused) {
    out.status = { pauseConditions: null };
  } else if (next !== undefined && updateInProgress(ro)) {
    // A step analysis/experiment (or any step) in progress without a pause condition: move past it.
    out.status = { currentStepIndex: next };
  }
  return out;
}

/** Sends the status patch (status then main; on 404 the unified patch to main), then the spec patch. */
async function send(c: KubeClients, ro: Rollout, p: Patches): Promise<ActionResult> {
  const ns = ro.metadata?.namespace ?? '';
  const name = ro.metadata?.name ?? '';
  const sent: SentPatch[] = [];
  let result: Rollout = ro;
  if (p.status) {
    const status = { status: p.status };
    const unified = { spec: { ...p.spec, paused: false }, status: p.status };
    const r = await patchStatusThenMain(c, ns, name, status, unified);
    sent.push(r.sent);
    result = r.object;
    if (r.sent.target === 'main') return actionResult(result, sent);
  }
  if (p.spec) {
    const r = await patchMain(c, ns, name, { spec: p.spec });
    sent.push(r.sent);
    result = r.object;
  }
  return actionResult(result, sent);
}

export async function promote(c: KubeClients, namespace: string, name: string): Promise<ActionResult> {
  const ro = await getRollout(c, namespace, name);
  check(ro, 'promote');
  const p = promotePatches(ro);
  if (!p.status && !p.spec) throw conflict('cannot promote: nothing is paused and no step is waiting');
  return send(c, ro, p);
}

export async function promoteFull(c: KubeClients, namespace: string, name: string): Promise<ActionResult> {
  const ro = await getRollout(c, namespace, name);
  check(ro, 'promoteFull');
  return send(c, ro, {
    status: ro.status?.currentPodHash !== ro.status?.stableRS ? { promoteFull: true } : undefined,
    spec: ro.spec?.paused ? { paused: false } : undefined,
  });
}

async function statusAction(c: KubeClients, ns: string, name: string, abort: boolean): Promise<ActionResult> {
  const ro = await getRollout(c, ns, name);
  check(ro, abort ? 'abort' : 'retry');
  const r = await patchStatusThenMain(c, ns, name, { status: { abort } });
  return actionResult(r.object, [r.sent]);
}

export const abort = (c: KubeClients, ns: string, name: string): Promise<ActionResult> =>
  statusAction(c, ns, name, true);
export const retry = (c: KubeClients, ns: string, name: string): Promise<ActionResult> =>
  statusAction(c, ns, name, false);

/** RFC 3339 in UTC without fractions, as kubectl-argo-rollouts writes restartAt. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function restart(
  c: KubeClients,
  namespace: string,
  name: string,
  now: () => Date = () => new Date(),
): Promise<ActionResult> {
  await getRollout(c, namespace, name);
  const r = await patchMain(c, namespace, name, { spec: { restartAt: rfc3339(now()) } });
  return actionResult(r.object, [r.sent]);
}

/** pause / resume: `{"spec":{"paused":true|false}}` on the main resource (idempotent, as in Argo). */
export async function setPaused(
  c: KubeClients,
  namespace: string,
  name: string,
  paused: boolean,
): Promise<ActionResult> {
  await getRollout(c, namespace, name);
  const r = await patchMain(c, namespace, name, { spec: { paused } });
  return actionResult(r.object, [r.sent]);
}
