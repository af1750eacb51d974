import 'server-only';
import {
  POD_HASH_LABEL,
  type PodTemplate,
  REVISION_ANNOTATION,
  type Rollout,
} from '@/lib/rollout/kube-types';
import { podHashOf, revisionOf } from '@/lib/rollout/revisions';
import { ActionError, type ActionResult, actionResult, conflict } from './action-types';
import { type KubeClients, kubeErrorStatus } from './client';
import { getRollout, listOwnedReplicaSets, patchMain, replaceRollout } from './rollout-api';

/**
 * Launch a canary (kubectl argo rollouts set image): GET, replace the container's image, PUT the whole Rollout;
 * a 409 (someone else wrote in between) starts over from a fresh GET, up to 5 times.
 */
export async function launch(
  c: KubeClients,
  namespace: string,
  name: string,
  image: string,
  container?: string,
): Promise<ActionResult> {
  for (let attempt = 1; ; attempt++) {
    const ro = await getRollout(c, namespace, name);
    const containers = ro.spec?.template?.spec?.containers ?? [];
    const target = container ? containers.find((x) => x.name === container) : containers[0];
    if (!target) throw new ActionError(422, 'invalid_input', `container ${container ?? '(first)'} not found`);
    if (target.image === image) throw conflict(`cannot launch: ${image} is already the rollout's image`);
    const next = structuredClone(ro) as Rollout;
    const nc = next.spec?.template?.spec?.containers?.find((x) => x.name === target.name);
    if (nc) nc.image = image;
    try {
      const result = await replaceRollout(c, next);
      const patch = { spec: { template: { spec: { containers: [{ name: target.name, image }] } } } };
      return actionResult(result, [{ target: 'main', method: 'PUT', patch }]);
    } catch (err) {
      if (kubeErrorStatus(err) !== 409 || attempt >= 5) throw err;
    }
  }
}

/** The ReplicaSet's pod template as the Rollout's template: without the rollouts-pod-template-hash label. */
export function templateForUndo(t: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_HASH_LABEL];
  }
  return copy;
}

/** Undo to a revision: JSON patch replacing spec.template with that ReplicaSet's template. */
export async function undo(
  c: KubeClients,
  namespace: string,
  name: string,
  revision: number,
): Promise<ActionResult> {
  const ro = await getRollout(c, namespace, name);
  const owned = await listOwnedReplicaSets(c, ro);
  const rs = owned.find((x) => x.metadata?.annotations?.[REVISION_ANNOTATION] === String(revision));
  if (!rs) {
    const known = owned.map(revisionOf).sort((a, b) => a - b);
    throw new ActionError(
      404,
      'not_found',
      `revision ${revision} not found (revisions: ${known.join(', ') || 'none'})`,
    );
  }
  const current = ro.status?.currentPodHash;
  const value = templateForUndo(rs.spec?.template);
  if ((current && podHashOf(rs) === current) || JSON.stringify(value) === JSON.stringify(ro.spec?.template))
    throw conflict(`cannot undo: revision ${revision} is the current revision`);
  const patch = [{ op: 'replace', path: '/spec/template', value }];
  const r = await patchMain(c, namespace, name, patch, 'json');
  return actionResult(r.object, [r.sent]);
}
