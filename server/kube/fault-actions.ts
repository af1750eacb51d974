import 'server-only';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { updateInProgress } from '@/lib/rollout/allowed-actions';
import type { HttpRoute, Rollout, VirtualService } from '@/lib/rollout/kube-types';
import type { FaultsBody } from '@/lib/schemas/actions';
import { type ActionResult, actionResult, conflict } from './action-types';
import { type KubeClients, kubeErrorStatus } from './client';
import { FAULTS_CONFIG_MAP } from './kinds';
import { getRollout } from './rollout-api';

const VS = { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices' } as const;

/** The version tag of an image (`repo/webapp:v1.1@sha256:…` → `v1.1`), as the demo app keys its faults. */
export function versionTag(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : 'latest';
}

function parseFaults(text: string | undefined): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Canary-only faults: the canary version's entry in ConfigMap webapp-faults key faults.json (merge patch). */
async function canaryFaults(c: KubeClients, ro: Rollout, body: FaultsBody): Promise<ActionResult> {
  const namespace = ro.metadata?.namespace ?? '';
  const image = ro.spec?.template?.spec?.containers?.[0]?.image;
  if (!body.clear && (!updateInProgress(ro) || !image))
    throw conflict(
      'cannot inject canary faults: no canary is running (launch one first, or use scope "mesh")',
    );
  for (let attempt = 1; ; attempt++) {
    let cm: { metadata?: { resourceVersion?: string }; data?: Record<string, string> } | undefined;
    try {
      cm = await c.core.readNamespacedConfigMap({ name: FAULTS_CONFIG_MAP, namespace });
    } catch (err) {
      if (kubeErrorStatus(err) !== 404) throw err;
    }
    const faults = parseFaults(cm?.data?.['faults.json']);
    const tag = image && updateInProgress(ro) ? versionTag(image) : undefined;
    if (body.clear) {
      if (tag) delete faults[tag];
      else for (const k of Object.keys(faults)) delete faults[k];
    } else if (tag) faults[tag] = { errorRate: body.errorRate, latencyMs: body.latencyMs };
    const data = { 'faults.json': JSON.stringify(faults) };
    try {
      if (!cm) {
        const created = await c.core.createNamespacedConfigMap({
          namespace,
          body: { metadata: { name: FAULTS_CONFIG_MAP, namespace }, data },
        });
        return actionResult(created, [
          { target: `configmap/${FAULTS_CONFIG_MAP}`, method: 'POST', patch: { data } },
        ]);
      }
      const patch = { metadata: { resourceVersion: cm.metadata?.resourceVersion }, data };
      const result = await c.core.patchNamespacedConfigMap(
        { name: FAULTS_CONFIG_MAP, namespace, body: patch },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      return actionResult(result, [
        { target: `configmap/${FAULTS_CONFIG_MAP}`, method: 'PATCH', type: 'merge', patch: { data } },
      ]);
    } catch (err) {
      if (kubeErrorStatus(err) !== 409 || attempt >= 5) throw err;
    }
  }
}

/** The Istio fault for a route: abort a share of requests and/or delay all of them. */
export function istioFault(body: FaultsBody): Record<string, unknown> {
  const fault: Record<string, unknown> = {};
  if (body.errorRate > 0)
    fault.abort = {
      percentage: { value: Math.round(body.errorRate * 10_000) / 100 },
      httpStatus: body.httpStatus,
    };
  if (body.latencyMs > 0)
    fault.delay = { percentage: { value: 100 }, fixedDelay: `${body.latencyMs / 1000}s` };
  return fault;
}

/** Mesh-wide faults: Istio `fault` on the VirtualService route the rollout names (JSON patch guarded by `test`). */
async function meshFaults(c: KubeClients, ro: Rollout, body: FaultsBody): Promise<ActionResult> {
  const namespace = ro.metadata?.namespace ?? '';
  const ref = ro.spec?.strategy?.canary?.trafficRouting?.istio?.virtualService;
  if (!ref?.name) throw conflict('cannot inject mesh faults: the rollout names no Istio VirtualService');
  const vs = (await c.custom.getNamespacedCustomObject({
    ...VS,
    namespace,
    name: ref.name,
  })) as VirtualService;
  const routes: HttpRoute[] = vs.spec?.http ?? [];
  const wanted = ref.routes ?? [];
  const i = wanted.length ? routes.findIndex((r) => r.name !== undefined && wanted.includes(r.name)) : 0;
  const route = routes[i];
  if (i < 0 || !route)
    throw conflict(`cannot inject mesh faults: route ${wanted.join(', ')} not in ${ref.name}`);
  const guard = route.name ? [{ op: 'test', path: `/spec/http/${i}/name`, value: route.name }] : [];
  const target = `virtualservice/${ref.name}` as const;
  if (body.clear && route.fault === undefined)
    return actionResult(vs, [{ target, method: 'PATCH', type: 'json', patch: [] }]);
  const ops = body.clear
    ? [...guard, { op: 'remove', path: `/spec/http/${i}/fault` }]
    : [...guard, { op: 'add', path: `/spec/http/${i}/fault`, value: istioFault(body) }];
  const result = await c.custom.patchNamespacedCustomObject(
    { ...VS, namespace, name: ref.name, body: ops },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
  return actionResult(result, [{ target, method: 'PATCH', type: 'json', patch: ops }]);
}

export async function faults(
  c: KubeClients,
  namespace: string,
  name: string,
  body: FaultsBody,
): Promise<ActionResult> {
  const ro = await getRollout(c, namespace, name);
  return body.scope === 'canary' ? canaryFaults(c, ro, body) : meshFaults(c, ro, body);
}
