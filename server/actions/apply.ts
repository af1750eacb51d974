import 'server-only';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { type KubeRequest, type ResourceRef, targetOf } from '@/lib/actions/kube-request';
import { type KubeClients, kubeErrorStatus } from '../kube/client';
import { type ActionResult, actionResult, type SentPatch } from './action-types';
import { ROLLOUTS, VIRTUAL_SERVICES } from './observe';

const contentType = (type: 'merge' | 'json') =>
  setHeaderOptions('Content-Type', type === 'merge' ? PatchStrategy.MergePatch : PatchStrategy.JsonPatch);

function unsupported(verb: string, r: ResourceRef): never {
  throw new Error(`no ${verb} of ${r.kind} is planned by any action`);
}

async function patch(
  c: KubeClients,
  namespace: string,
  r: ResourceRef,
  type: 'merge' | 'json',
  body: unknown,
): Promise<unknown> {
  const opts = contentType(type);
  const b = body as object;
  switch (r.kind) {
    case 'Rollout':
      return r.subresource === 'status'
        ? c.custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace, name: r.name, body: b }, opts)
        : c.custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace, name: r.name, body: b }, opts);
    case 'VirtualService':
      return c.custom.patchNamespacedCustomObject(
        { ...VIRTUAL_SERVICES, namespace, name: r.name, body: b },
        opts,
      );
    case 'ConfigMap':
      return c.core.patchNamespacedConfigMap({ name: r.name, namespace, body: b }, opts);
    case 'Job':
      return unsupported('patch', r);
  }
}

async function send(
  c: KubeClients,
  namespace: string,
  r: Exclude<KubeRequest, { verb: 'patch' | 'none' }>,
): Promise<unknown> {
  const { kind, name } = r.resource;
  if (r.verb === 'update' && kind === 'Rollout')
    return c.custom.replaceNamespacedCustomObject({ ...ROLLOUTS, namespace, name, body: r.body });
  if (r.verb === 'create' && kind === 'ConfigMap')
    return c.core.createNamespacedConfigMap({ namespace, body: r.body });
  if (r.verb === 'create' && kind === 'Job') return c.batch.createNamespacedJob({ namespace, body: r.body });
  if (r.verb === 'delete' && kind === 'Job')
    return c.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: r.propagationPolicy });
  return unsupported(r.verb, r.resource);
}

const METHOD = { update: 'PUT', create: 'POST', delete: 'DELETE' } as const;

/**
 * Sends a plan's requests in order and records each. A status patch the server has no subresource for (404) goes,
 * as its `fallback`, to the main resource and ends the plan; any other error stops it and is thrown.
 */
export async function applyPlan(
  c: KubeClients,
  namespace: string,
  plan: KubeRequest[],
): Promise<ActionResult> {
  const sent: SentPatch[] = [];
  let result: unknown;
  for (const r of plan) {
    const target = targetOf(r.resource);
    if (r.verb === 'none') {
      sent.push({ target, method: 'PATCH', type: r.type, patch: r.shown });
      result = r.current;
    } else if (r.verb === 'patch') {
      try {
        result = await patch(c, namespace, r.resource, r.type, r.body);
        sent.push({ target, method: 'PATCH', type: r.type, patch: r.shown ?? r.body });
      } catch (err) {
        if (r.fallback === undefined || r.resource.subresource !== 'status' || kubeErrorStatus(err) !== 404)
          throw err;
        const main = { kind: r.resource.kind, name: r.resource.name };
        result = await patch(c, namespace, main, 'merge', r.fallback);
        sent.push({ target: targetOf(main), method: 'PATCH', type: 'merge', patch: r.fallback });
        return actionResult(result, sent);
      }
    } else {
      const answer = await send(c, namespace, r);
      if (r.verb === 'delete') {
        result ??= r.current;
        sent.push({ target, method: METHOD.delete, patch: null });
      } else {
        result = answer;
        sent.push({ target, method: METHOD[r.verb], patch: r.shown });
      }
    }
  }
  return actionResult(result ?? null, sent);
}
