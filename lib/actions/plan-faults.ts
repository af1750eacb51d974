import type { HttpRoute } from '../rollout/kube-types';
import type { FaultsBody } from '../schemas/actions';
import type { KubeRequest } from './kube-request';
import { FAULTS_CONFIG_MAP } from './permissions';
import { need, type PlanInput } from './plan-input';
import { conflict } from './refusal';
import { updateInProgress } from './rollout-state';

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

/**
 * Canary-only faults: the canary version's entry in ConfigMap webapp-faults, key faults.json (a merge patch guarded
 * by the resourceVersion read, or a create when there is none; the server re-reads and re-plans on 409).
 */
function planCanaryFaults(input: PlanInput<FaultsBody>): KubeRequest[] {
  const { rollout: ro, body } = input;
  const namespace = ro.metadata?.namespace ?? '';
  const image = ro.spec?.template?.spec?.containers?.[0]?.image;
  const canary = updateInProgress(ro) && image ? versionTag(image) : undefined;
  if (!body.clear && !canary)
    throw conflict(
      'cannot inject canary faults: no canary is running (launch one first, or use scope "mesh")',
    );
  const cm = need(input, 'faultsConfigMap');
  const faults = parseFaults(cm?.data?.['faults.json']);
  if (body.clear) {
    if (canary) delete faults[canary];
    else for (const k of Object.keys(faults)) delete faults[k];
  } else if (canary) faults[canary] = { errorRate: body.errorRate, latencyMs: body.latencyMs };
  const data = { 'faults.json': JSON.stringify(faults) };
  const resource = { kind: 'ConfigMap' as const, name: FAULTS_CONFIG_MAP };
  if (!cm)
    return [
      {
        verb: 'create',
        resource,
        body: { metadata: { name: FAULTS_CONFIG_MAP, namespace }, data },
        shown: { data },
      },
    ];
  const patch = { metadata: { resourceVersion: cm.metadata?.resourceVersion }, data };
  return [{ verb: 'patch', resource, type: 'merge', body: patch, shown: { data } }];
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

/** The VirtualService a rollout routes by, if it names one. */
export const virtualServiceOf = (input: PlanInput<unknown>): string | undefined =>
  input.rollout.spec?.strategy?.canary?.trafficRouting?.istio?.virtualService?.name;

/** Mesh-wide faults: Istio `fault` on the VirtualService route the rollout names (JSON patch guarded by `test`). */
function planMeshFaults(input: PlanInput<FaultsBody>): KubeRequest[] {
  const { rollout: ro, body } = input;
  const ref = ro.spec?.strategy?.canary?.trafficRouting?.istio?.virtualService;
  if (!ref?.name) throw conflict('cannot inject mesh faults: the rollout names no Istio VirtualService');
  const vs = need(input, 'virtualService');
  const routes: HttpRoute[] = vs.spec?.http ?? [];
  const wanted = ref.routes ?? [];
  const i = wanted.length ? routes.findIndex((r) => r.name !== undefined && wanted.includes(r.name)) : 0;
  const route = routes[i];
  if (i < 0 || !route)
    throw conflict(`cannot inject mesh faults: route ${wanted.join(', ')} not in ${ref.name}`);
  const resource = { kind: 'VirtualService' as const, name: ref.name };
  if (body.clear && route.fault === undefined)
    return [{ verb: 'none', resource, type: 'json', current: vs, shown: [] }];
  const guard = route.name ? [{ op: 'test', path: `/spec/http/${i}/name`, value: route.name }] : [];
  const ops = body.clear
    ? [...guard, { op: 'remove', path: `/spec/http/${i}/fault` }]
    : [...guard, { op: 'add', path: `/spec/http/${i}/fault`, value: istioFault(body) }];
  return [{ verb: 'patch', resource, type: 'json', body: ops }];
}

export const planFaults = (input: PlanInput<FaultsBody>): KubeRequest[] =>
  input.body.scope === 'canary' ? planCanaryFaults(input) : planMeshFaults(input);
