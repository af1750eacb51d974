import { POD_HASH_LABEL, type PodTemplate, REVISION_ANNOTATION, type Rollout } from '../rollout/kube-types';
import { podHashOf, revisionOf } from '../rollout/revisions';
import { canarySteps, currentStepIndex } from '../rollout/steps';
import type { LaunchBody, UndoBody } from '../schemas/actions';
import type { KubeRequest } from './kube-request';
import { need, type PlanInput } from './plan-input';
import { conflict, invalid, notFound } from './refusal';

// The Argo Rollouts actions, as kubectl-argo-rollouts v1.9.1 sends them (pkg/kubectl-argo-rollouts/cmd/*): merge
// patches unless said; a status patch goes to the `/status` subresource, and when the server has none (404) its
// `fallback` goes to the rollout itself and ends the plan.

const main = (ro: Rollout) => ({ kind: 'Rollout' as const, name: ro.metadata?.name ?? '' });
const status = (ro: Rollout) => ({ ...main(ro), subresource: 'status' as const });
const mergeMain = (ro: Rollout, body: unknown): KubeRequest => ({
  verb: 'patch',
  resource: main(ro),
  type: 'merge',
  body,
});
const mergeStatus = (ro: Rollout, body: unknown, fallback: unknown = body): KubeRequest => ({
  verb: 'patch',
  resource: status(ro),
  type: 'merge',
  body,
  fallback,
});

/** Argo's GetCurrentCanaryStep index moved one step on (never past the end), or undefined without steps. */
function nextStep(ro: Rollout): number | undefined {
  if (!ro.spec?.strategy?.canary) return undefined;
  const idx = currentStepIndex(ro);
  if (idx === undefined) return undefined;
  return idx < canarySteps(ro).length ? idx + 1 : idx;
}

/** promote (cmd/promote/promote.go getPatches, no flags): resume, clear the pause, or move past a running step. */
export function planPromote({ rollout: ro }: PlanInput<unknown>): KubeRequest[] {
  const st = ro.status ?? {};
  const paused = (st.pauseConditions ?? []).length > 0;
  const inconclusive =
    ro.spec?.strategy?.canary !== undefined &&
    st.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  const next = nextStep(ro);
  let statusPatch: unknown;
  let unified: unknown = { spec: { paused: false }, status: { pauseConditions: null } };
  if (inconclusive && paused && st.controllerPause) {
    if (next !== undefined)
      statusPatch = { status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
  } else if (paused) {
    statusPatch = { status: { pauseConditions: null } };
  } else if (ro.spec?.strategy?.canary && next !== undefined) {
    statusPatch = { status: { pauseConditions: null, currentStepIndex: next } };
    unified = { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: next } };
  }
  const out: KubeRequest[] = [];
  if (statusPatch) out.push(mergeStatus(ro, statusPatch, unified));
  if (ro.spec?.paused) out.push(mergeMain(ro, { spec: { paused: false } }));
  if (!out.length) throw conflict('cannot promote: nothing is paused and no step is waiting');
  return out;
}

/** promote --full: `promoteFull` while an update is under way, and resume. */
export function planPromoteFull({ rollout: ro }: PlanInput<unknown>): KubeRequest[] {
  const out: KubeRequest[] = [];
  const unified = { spec: { paused: false }, status: { promoteFull: true } };
  if (ro.status?.currentPodHash !== ro.status?.stableRS)
    out.push(mergeStatus(ro, { status: { promoteFull: true } }, unified));
  if (ro.spec?.paused) out.push(mergeMain(ro, { spec: { paused: false } }));
  return out;
}

/** abort (cmd/abort/abort.go) and retry (cmd/retry/retry.go): `status.abort`, the same body on the fallback. */
export const planAbort = ({ rollout: ro }: PlanInput<unknown>): KubeRequest[] => [
  mergeStatus(ro, { status: { abort: true } }),
];
export const planRetry = ({ rollout: ro }: PlanInput<unknown>): KubeRequest[] => [
  mergeStatus(ro, { status: { abort: false } }),
];

/** RFC 3339 in UTC without fractions, as kubectl-argo-rollouts writes restartAt (Go's time.RFC3339). */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** restart (cmd/restart/restart.go): `spec.restartAt` now. */
export const planRestart = ({ rollout: ro, now }: PlanInput<unknown>): KubeRequest[] => [
  mergeMain(ro, { spec: { restartAt: rfc3339(now) } }),
];

/** pause (cmd/pause/pause.go) and resume (promote's unpause patch): idempotent, as in Argo. */
export const planPause = ({ rollout: ro }: PlanInput<unknown>): KubeRequest[] => [
  mergeMain(ro, { spec: { paused: true } }),
];
export const planResume = ({ rollout: ro }: PlanInput<unknown>): KubeRequest[] => [
  mergeMain(ro, { spec: { paused: false } }),
];

/**
 * launch (cmd/set/set_image.go): the whole Rollout with the first container's image replaced, sent by PUT (an
 * update guarded by its resourceVersion; the server retries a 409 from a fresh read, 5 attempts as there).
 */
export function planLaunch({ rollout: ro, body }: PlanInput<LaunchBody>): KubeRequest[] {
  const target = ro.spec?.template?.spec?.containers?.[0];
  if (!target) throw invalid('container (first) not found');
  if (target.image === body.image)
    throw conflict(`cannot launch: ${body.image} is already the rollout's image`);
  const next = structuredClone(ro);
  const nc = next.spec?.template?.spec?.containers?.[0];
  if (nc) nc.image = body.image;
  const shown = { spec: { template: { spec: { containers: [{ name: target.name, image: body.image }] } } } };
  return [{ verb: 'update', resource: main(ro), body: next, shown }];
}

/** The ReplicaSet's pod template as the Rollout's template: without the rollouts-pod-template-hash label. */
export function templateForUndo(t: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_HASH_LABEL];
  return copy;
}

/** undo (cmd/undo/undo.go): a JSON patch replacing spec.template with that revision's ReplicaSet template. */
export function planUndo(input: PlanInput<UndoBody>): KubeRequest[] {
  const { rollout: ro, body } = input;
  const owned = need(input, 'replicaSets');
  const rs = owned.find((x) => x.metadata?.annotations?.[REVISION_ANNOTATION] === String(body.revision));
  if (!rs) {
    const known = owned.map(revisionOf).sort((a, b) => a - b);
    throw notFound(`revision ${body.revision} not found (revisions: ${known.join(', ') || 'none'})`);
  }
  const current = ro.status?.currentPodHash;
  const value = templateForUndo(rs.spec?.template);
  if ((current && podHashOf(rs) === current) || JSON.stringify(value) === JSON.stringify(ro.spec?.template))
    throw conflict(`cannot undo: revision ${body.revision} is the current revision`);
  return [
    {
      verb: 'patch',
      resource: main(ro),
      type: 'json',
      body: [{ op: 'replace', path: '/spec/template', value }],
    },
  ];
}
