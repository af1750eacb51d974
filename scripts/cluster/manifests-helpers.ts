/** Helpers for the manifest tests: render kustomizations with the real kubectl, validate with @kubernetes-models. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '../..');
export const MANIFESTS = path.join(ROOT, 'manifests');

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

/** Parses a multi-document YAML text, dropping empty documents; throws on a YAML error. */
export function parseDocs(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(d.errors.map((e) => e.message).join('; '));
      return d.toJS({ maxAliasCount: 100 }) as KubeObject | null;
    })
    .filter((d): d is KubeObject => d !== null && typeof d === 'object');
}

export function readDocs(rel: string): KubeObject[] {
  return parseDocs(readFileSync(path.join(ROOT, rel), 'utf8'));
}

/** Plain `kubectl kustomize`, offline and without flags (as `kubectl apply -k` and Argo CD render it). */
export function kustomize(rel: string): KubeObject[] {
  const out = execFileSync('kubectl', ['kustomize', path.join(ROOT, rel)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseDocs(out);
}

type Validatable = { validate(): void };
type ModelCtor = new (obj: never) => Validatable;

let models: Map<string, ModelCtor> | undefined;

/** apiVersion/kind -> the @kubernetes-models class (ESM-only packages, imported dynamically). */
async function loadModels(): Promise<Map<string, ModelCtor>> {
  if (models) return models;
  const [argo, istio, istioInstall, apps, core, rbac, policy] = await Promise.all([
    import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1'),
    import('@kubernetes-models/istio/networking.istio.io/v1'),
    import('@kubernetes-models/istio/install.istio.io/v1alpha1'),
    import('kubernetes-models/apps/v1'),
    import('kubernetes-models/v1'),
    import('kubernetes-models/rbac.authorization.k8s.io/v1'),
    import('kubernetes-models/policy/v1'),
  ]);
  const m = new Map<string, ModelCtor>();
  const add = (apiVersion: string, kind: string, ctor: unknown) =>
    m.set(`${apiVersion}/${kind}`, ctor as ModelCtor);
  add('argoproj.io/v1alpha1', 'Rollout', argo.Rollout);
  add('argoproj.io/v1alpha1', 'AnalysisTemplate', argo.AnalysisTemplate);
  add('networking.istio.io/v1', 'VirtualService', istio.VirtualService);
  add('networking.istio.io/v1', 'Gateway', istio.Gateway);
  add('networking.istio.io/v1', 'DestinationRule', istio.DestinationRule);
  add('install.istio.io/v1alpha1', 'IstioOperator', istioInstall.IstioOperator);
  add('apps/v1', 'Deployment', apps.Deployment);
  add('rbac.authorization.k8s.io/v1', 'ClusterRole', rbac.ClusterRole);
  add('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', rbac.ClusterRoleBinding);
  add('rbac.authorization.k8s.io/v1', 'Role', rbac.Role);
  add('rbac.authorization.k8s.io/v1', 'RoleBinding', rbac.RoleBinding);
  add('policy/v1', 'PodDisruptionBudget', policy.PodDisruptionBudget);
  for (const kind of ['Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount']) {
    add('v1', kind, (core as Record<string, unknown>)[kind]);
  }
  models = m;
  return m;
}

/** Validates against the schema of its kind; throws naming the object. Unknown kinds are reported, not skipped. */
export async function validateObject(obj: KubeObject): Promise<void> {
  const ctor = (await loadModels()).get(`${obj.apiVersion}/${obj.kind}`);
  if (!ctor) throw new Error(`no schema model for ${obj.apiVersion} ${obj.kind} (${obj.metadata?.name})`);
  try {
    new ctor(obj as never).validate();
  } catch (err) {
    throw new Error(
      `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}: ${(err as Error).message}`,
    );
  }
}

export function find(objs: KubeObject[], kind: string, name: string): KubeObject {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind} ${name} not rendered`);
  return o;
}

/** KEY=value lines of manifests/versions.env (quotes stripped). */
export function pinnedVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path.join(MANIFESTS, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}
