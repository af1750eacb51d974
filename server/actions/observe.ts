import 'server-only';
import { FAULTS_CONFIG_MAP } from '@/lib/actions/permissions';
import { virtualServiceOf } from '@/lib/actions/plan-faults';
import type { Observed, ObservedKey } from '@/lib/actions/plan-input';
import { loadJobLabels } from '@/lib/actions/plan-load';
import { notFound } from '@/lib/actions/refusal';
import type { ReplicaSet, Rollout, VirtualService } from '@/lib/rollout/kube-types';
import { isLoadActive, type LoadJob } from '@/lib/rollout/load-progress';
import { ownedBy } from '@/lib/rollout/ownership';
import type { LoadBody } from '@/lib/schemas/actions';
import { type KubeClients, kubeErrorStatus } from '../kube/client';
import { kubeGetJson } from '../kube/raw-request';
import { resolveLoadTarget } from './load-targets';

export const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;
export const VIRTUAL_SERVICES = {
  group: 'networking.istio.io',
  version: 'v1',
  plural: 'virtualservices',
} as const;

const asObject = <T>(o: unknown, what: string): T => {
  if (!o || typeof o !== 'object')
    throw new Error(`the API server answered a ${what} request without an object`);
  return o as T;
};

/** The rollout, read fresh from the API server (a missing one is a 404 refusal). */
export async function getRollout(c: KubeClients, namespace: string, name: string): Promise<Rollout> {
  try {
    return asObject<Rollout>(
      await c.custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace, name }),
      'rollout',
    );
  } catch (err) {
    if (kubeErrorStatus(err) === 404) throw notFound(`rollout ${namespace}/${name} not found`);
    throw err;
  }
}

const ns = (ro: Rollout): string => ro.metadata?.namespace ?? '';

async function readOne(c: KubeClients, ro: Rollout, key: ObservedKey, body: unknown): Promise<unknown> {
  switch (key) {
    case 'replicaSets': {
      const path = `/apis/apps/v1/namespaces/${encodeURIComponent(ns(ro))}/replicasets`;
      const list = (await kubeGetJson(c.kc, path)) as { items?: ReplicaSet[] };
      return (list.items ?? []).filter((rs) => ownedBy(rs, 'Rollout', ro.metadata?.name ?? ''));
    }
    case 'faultsConfigMap':
      try {
        return await c.core.readNamespacedConfigMap({ name: FAULTS_CONFIG_MAP, namespace: ns(ro) });
      } catch (err) {
        if (kubeErrorStatus(err) !== 404) throw err;
        return null;
      }
    case 'virtualService': {
      const name = virtualServiceOf({ rollout: ro, body, now: new Date() });
      // No VirtualService named: the plan refuses with the reason.
      if (!name) return undefined;
      const vs = await c.custom.getNamespacedCustomObject({ ...VIRTUAL_SERVICES, namespace: ns(ro), name });
      return asObject<VirtualService>(vs, 'VirtualService');
    }
    case 'loadJobs': {
      const labelSelector = Object.entries(loadJobLabels(ro.metadata?.name ?? ''))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const path = `/apis/batch/v1/namespaces/${encodeURIComponent(ns(ro))}/jobs`;
      const list = (await kubeGetJson(c.kc, path, { labelSelector })) as { items?: LoadJob[] };
      return (list.items ?? []).filter(isLoadActive);
    }
    case 'loadTarget':
      return resolveLoadTarget((body as LoadBody).target);
  }
}

/** Reads, in order, what a plan needs besides the rollout. */
export async function observe(
  c: KubeClients,
  ro: Rollout,
  keys: readonly ObservedKey[],
  body: unknown,
): Promise<Partial<Observed>> {
  const out: Partial<Record<ObservedKey, unknown>> = {};
  for (const k of keys) {
    const v = await readOne(c, ro, k, body);
    if (v !== undefined) out[k] = v;
  }
  return out as Partial<Observed>;
}
