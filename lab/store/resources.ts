import type { ResourceType } from './types';

const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

function rt(
  r: Omit<ResourceType, 'singular' | 'hasSpec' | 'subresources'> & Partial<ResourceType>,
): ResourceType {
  return { singular: r.kind.toLowerCase(), hasSpec: true, subresources: [], ...r };
}

/** Every kind the lab serves (issue: the lab, part 1). */
export const RESOURCES: readonly ResourceType[] = [
  rt({
    group: '',
    versions: ['v1'],
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
  }),
  rt({
    group: '',
    versions: ['v1'],
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    subresources: ['status', 'log'],
    categories: ['all'],
  }),
  rt({
    group: '',
    versions: ['v1'],
    plural: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    subresources: ['status'],
    categories: ['all'],
  }),
  rt({
    group: '',
    versions: ['v1'],
    plural: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    hasSpec: false,
  }),
  rt({
    group: '',
    versions: ['v1'],
    plural: 'secrets',
    kind: 'Secret',
    namespaced: true,
    shortNames: [],
    hasSpec: false,
  }),
  rt({
    group: '',
    versions: ['v1'],
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    hasSpec: false,
  }),
  rt({
    group: '',
    versions: ['v1'],
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    hasSpec: false,
    subresources: ['token'],
  }),
  rt({
    group: 'apps',
    versions: ['v1'],
    plural: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    subresources: ['status'],
    categories: ['all'],
  }),
  rt({
    group: 'apps',
    versions: ['v1'],
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    subresources: ['status'],
    categories: ['all'],
  }),
  rt({
    group: 'batch',
    versions: ['v1'],
    plural: 'jobs',
    kind: 'Job',
    namespaced: true,
    shortNames: [],
    subresources: ['status'],
    categories: ['all'],
  }),
  rt({
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'rollouts',
    kind: 'Rollout',
    namespaced: true,
    shortNames: ['ro'],
    subresources: ['status'],
    categories: ['all'],
  }),
  rt({
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'analysisruns',
    kind: 'AnalysisRun',
    namespaced: true,
    shortNames: ['ar'],
    subresources: ['status'],
  }),
  rt({
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'analysistemplates',
    kind: 'AnalysisTemplate',
    namespaced: true,
    shortNames: ['at'],
  }),
  rt({
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'clusteranalysistemplates',
    kind: 'ClusterAnalysisTemplate',
    namespaced: false,
    shortNames: ['cat'],
  }),
  rt({
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'virtualservices',
    kind: 'VirtualService',
    namespaced: true,
    shortNames: ['vs'],
    categories: ['istio-io', 'networking-istio-io'],
  }),
  rt({
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'destinationrules',
    kind: 'DestinationRule',
    namespaced: true,
    shortNames: ['dr'],
    categories: ['istio-io', 'networking-istio-io'],
  }),
  rt({
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'gateways',
    kind: 'Gateway',
    namespaced: true,
    shortNames: ['gw'],
    categories: ['istio-io', 'networking-istio-io'],
  }),
  rt({
    group: 'coordination.k8s.io',
    versions: ['v1'],
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    shortNames: [],
    hasSpec: false,
    createOnUpdate: true,
    requireResourceVersion: true,
  }),
  rt({
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    plural: 'roles',
    kind: 'Role',
    namespaced: true,
    shortNames: [],
    hasSpec: false,
  }),
  rt({
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    plural: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
    shortNames: [],
    hasSpec: false,
  }),
  rt({
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    plural: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
    shortNames: [],
    hasSpec: false,
  }),
  rt({
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    plural: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
    shortNames: [],
    hasSpec: false,
  }),
  rt({
    group: 'authorization.k8s.io',
    versions: ['v1'],
    plural: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    shortNames: [],
    createOnly: true,
  }),
  rt({
    group: 'authorization.k8s.io',
    versions: ['v1'],
    plural: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
    namespaced: false,
    shortNames: [],
    createOnly: true,
  }),
  rt({
    group: 'authentication.k8s.io',
    versions: ['v1'],
    plural: 'selfsubjectreviews',
    kind: 'SelfSubjectReview',
    namespaced: false,
    shortNames: [],
    createOnly: true,
  }),
];

export function groupVersion(r: ResourceType, version: string = r.versions[0] ?? 'v1'): string {
  return r.group === '' ? version : `${r.group}/${version}`;
}

/** Storage key of a kind: the group and plural (versions share one storage). */
export function resourceKey(r: ResourceType): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

export function findByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.plural === plural && r.versions.includes(version));
}

export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return RESOURCES.find((r) => r.group === group && r.kind === kind && r.versions.includes(version));
}

/** Shorthand for controllers: the kind by its plural in its group (e.g. `lab('pods')`, `lab('rollouts')`). */
export function resource(plural: string): ResourceType {
  const r = RESOURCES.find((x) => x.plural === plural);
  if (!r) throw new Error(`unknown lab resource ${plural}`);
  return r;
}
