import type { LabProcess } from './lab-process';

export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind: string; name: string }>;
}

export interface Obj {
  metadata: Meta;
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read arbitrary fields of real API objects
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read arbitrary fields of real API objects
  status?: any;
  reason?: string;
  message?: string;
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read arbitrary fields of real API objects
  [k: string]: any;
}

export const PATHS = {
  rollout: '/apis/argoproj.io/v1alpha1/namespaces/demo/rollouts/webapp',
  rollouts: '/apis/argoproj.io/v1alpha1/namespaces/demo/rollouts',
  analysisRuns: '/apis/argoproj.io/v1alpha1/namespaces/demo/analysisruns',
  replicaSets: '/apis/apps/v1/namespaces/demo/replicasets',
  pods: '/api/v1/namespaces/demo/pods',
  events: '/api/v1/namespaces/demo/events',
  vs: '/apis/networking.istio.io/v1/namespaces/demo/virtualservices/webapp',
  faults: '/api/v1/namespaces/demo/configmaps/webapp-faults',
} as const;

export async function getObj(lab: LabProcess, path: string): Promise<Obj> {
  const r = await lab.api('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return r.json as Obj;
}

export async function list(lab: LabProcess, path: string): Promise<Obj[]> {
  const r = await lab.api('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return (r.json as { items: Obj[] }).items;
}

export async function patch(
  lab: LabProcess,
  path: string,
  body: unknown,
  type: 'merge' | 'json' = 'merge',
): Promise<Obj> {
  const contentType = type === 'merge' ? 'application/merge-patch+json' : 'application/json-patch+json';
  const r = await lab.api('PATCH', path, { body, contentType });
  if (r.status !== 200) throw new Error(`PATCH ${path}: ${r.status} ${r.text}`);
  return r.json as Obj;
}

/** DESIGN.md §4: status subresource first, the main resource on 404. */
export async function patchRolloutStatus(lab: LabProcess, status: Record<string, unknown>): Promise<void> {
  const r = await lab.api('PATCH', `${PATHS.rollout}/status`, {
    body: { status },
    contentType: 'application/merge-patch+json',
  });
  if (r.status === 404) await patch(lab, PATHS.rollout, { status });
  else if (r.status !== 200) throw new Error(`PATCH status: ${r.status} ${r.text}`);
}

/** DESIGN.md §4 "set image": GET then PUT of the whole Rollout with the image replaced, retried on 409. */
export async function setImage(lab: LabProcess, image: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const ro = await getObj(lab, PATHS.rollout);
    ro.spec.template.spec.containers[0].image = image;
    const r = await lab.api('PUT', PATHS.rollout, { body: ro });
    if (r.status === 200) return;
    if (r.status !== 409) throw new Error(`PUT rollout: ${r.status} ${r.text}`);
  }
  throw new Error('set image: conflict 10 times');
}

export const rollout = (lab: LabProcess) => getObj(lab, PATHS.rollout);

export function imageOf(o: Obj): string {
  return o.spec?.template?.spec?.containers?.[0]?.image ?? '';
}

/** Healthy at `image` with the new ReplicaSet promoted to stable. */
export async function healthyAt(lab: LabProcess, image: string): Promise<Obj | false> {
  const ro = await rollout(lab);
  const s = ro.status ?? {};
  const ok =
    imageOf(ro) === image &&
    s.phase === 'Healthy' &&
    s.observedGeneration === String(ro.metadata.generation ?? '') &&
    s.stableRS !== undefined &&
    s.stableRS === s.currentPodHash;
  return ok ? ro : false;
}

export const ready = (pod: Obj): boolean =>
  (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );

/** Pods Running and Ready (of one ReplicaSet hash, or all of app=webapp). */
export async function runningPods(lab: LabProcess, hash?: string): Promise<Obj[]> {
  const sel = hash ? `?labelSelector=rollouts-pod-template-hash%3D${hash}` : '?labelSelector=app%3Dwebapp';
  const pods = await list(lab, `${PATHS.pods}${sel}`);
  return pods.filter((p) => p.status?.phase === 'Running' && ready(p) && !p.metadata.deletionTimestamp);
}

/** The canary destination's weight in route `primary` of a VirtualService. */
export function vsCanaryWeight(vs: Obj): number | undefined {
  const route = (vs.spec?.http ?? []).find((h: { name?: string }) => h.name === 'primary');
  const dest = (route?.route ?? []).find(
    (r: { destination?: { host?: string } }) => r.destination?.host === 'webapp-canary',
  );
  return dest?.weight;
}

/** DESIGN.md §4 undo: the old ReplicaSet's pod template without the pod-template-hash label, as a JSON patch. */
export async function undoTo(lab: LabProcess, rsName: string): Promise<void> {
  const rs = await getObj(lab, `${PATHS.replicaSets}/${rsName}`);
  const template = structuredClone(rs.spec.template);
  delete template.metadata?.labels?.['rollouts-pod-template-hash'];
  await patch(lab, PATHS.rollout, [{ op: 'replace', path: '/spec/template', value: template }], 'json');
}

export const hashOfImage = async (lab: LabProcess, image: string): Promise<string | undefined> =>
  (await list(lab, PATHS.replicaSets)).find((rs) => imageOf(rs) === image)?.metadata.labels?.[
    'rollouts-pod-template-hash'
  ];
