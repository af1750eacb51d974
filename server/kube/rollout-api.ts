import 'server-only';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ReplicaSet, Rollout } from '@/lib/rollout/kube-types';
import { ownedBy } from '@/lib/rollout/ownership';
import { ActionError, type SentPatch } from './action-types';
import { type KubeClients, kubeErrorStatus } from './client';
import { kubeGetJson } from './raw-request';

const GVP = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;
const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const json = () => setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

const asRollout = (o: unknown): Rollout => {
  if (!o || typeof o !== 'object')
    throw new Error('the API server answered a rollout request without an object');
  return o as Rollout;
};

export async function getRollout(c: KubeClients, namespace: string, name: string): Promise<Rollout> {
  try {
    return asRollout(await c.custom.getNamespacedCustomObject({ ...GVP, namespace, name }));
  } catch (err) {
    if (kubeErrorStatus(err) === 404)
      throw new ActionError(404, 'not_found', `rollout ${namespace}/${name} not found`);
    throw err;
  }
}

/** A merge (or JSON) patch of the Rollout itself. */
export async function patchMain(
  c: KubeClients,
  namespace: string,
  name: string,
  body: unknown,
  type: 'merge' | 'json' = 'merge',
): Promise<{ object: Rollout; sent: SentPatch }> {
  const object = asRollout(
    await c.custom.patchNamespacedCustomObject(
      { ...GVP, namespace, name, body: body as object },
      type === 'merge' ? merge() : json(),
    ),
  );
  return { object, sent: { target: 'main', method: 'PATCH', type, patch: body } };
}

/**
 * "status then main" (DESIGN.md §4): a merge patch of the `/status` subresource; when the server has no status
 * subresource (404), `fallback` (default: the same body) goes to the main resource instead.
 */
export async function patchStatusThenMain(
  c: KubeClients,
  namespace: string,
  name: string,
  body: unknown,
  fallback: unknown = body,
): Promise<{ object: Rollout; sent: SentPatch }> {
  try {
    const object = asRollout(
      await c.custom.patchNamespacedCustomObjectStatus(
        { ...GVP, namespace, name, body: body as object },
        merge(),
      ),
    );
    return { object, sent: { target: '/status', method: 'PATCH', type: 'merge', patch: body } };
  } catch (err) {
    if (kubeErrorStatus(err) !== 404) throw err;
    return patchMain(c, namespace, name, fallback);
  }
}

export async function replaceRollout(c: KubeClients, ro: Rollout): Promise<Rollout> {
  const namespace = ro.metadata?.namespace ?? '';
  const name = ro.metadata?.name ?? '';
  return asRollout(await c.custom.replaceNamespacedCustomObject({ ...GVP, namespace, name, body: ro }));
}

/** The ReplicaSets a rollout owns, read fresh from the API server (raw JSON). */
export async function listOwnedReplicaSets(c: KubeClients, ro: Rollout): Promise<ReplicaSet[]> {
  const ns = encodeURIComponent(ro.metadata?.namespace ?? '');
  const list = (await kubeGetJson(c.kc, `/apis/apps/v1/namespaces/${ns}/replicasets`)) as {
    items?: ReplicaSet[];
  };
  return (list.items ?? []).filter((rs) => ownedBy(rs, 'Rollout', ro.metadata?.name ?? ''));
}
