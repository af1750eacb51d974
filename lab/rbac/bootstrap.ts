import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import type { PolicyRule, Subject } from './types';

/**
 * The part of kube-apiserver's bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) the lab needs:
 * cluster-admin for system:masters, discovery and public info for every authenticated user, and the self reviews
 * (`kubectl auth can-i`, `kubectl auth whoami`). The aggregated admin/edit/view roles are not seeded.
 */
const META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

const ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ],
  'system:discovery': [
    {
      verbs: ['get'],
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    },
  ],
  'system:public-info-viewer': [
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  ],
  'system:basic-user': [
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ],
};

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });

const BINDINGS: Record<string, Subject[]> = {
  'cluster-admin': [group('system:masters')],
  'system:discovery': [group('system:authenticated')],
  'system:public-info-viewer': [group('system:authenticated'), group('system:unauthenticated')],
  'system:basic-user': [group('system:authenticated')],
};

export function bootstrapObjects(): { clusterRoles: KubeObject[]; bindings: KubeObject[] } {
  return {
    clusterRoles: Object.entries(ROLES).map(([name, rules]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, ...META },
      rules,
    })),
    bindings: Object.entries(BINDINGS).map(([name, subjects]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, ...META },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    })),
  };
}

/** Creates the bootstrap roles and bindings that are missing (the API server's start-up hook does the same). */
export function ensureBootstrapPolicy(store: LabStore): string[] {
  const created: string[] = [];
  const { clusterRoles, bindings } = bootstrapObjects();
  for (const [plural, objs] of [
    ['clusterroles', clusterRoles],
    ['clusterrolebindings', bindings],
  ] as const) {
    const rt = resource(plural);
    for (const o of objs) {
      const name = o.metadata.name ?? '';
      if (store.get(rt, undefined, name)) continue;
      store.create(rt, o);
      created.push(`${plural}/${name}`);
    }
  }
  return created;
}
