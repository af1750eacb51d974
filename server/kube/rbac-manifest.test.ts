import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  authorize,
  type Binding,
  type PolicySource,
  type Role as RbacRole,
} from '@control-center/lab/testing';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { FAULTS_CONFIG_MAP, KIND_SPECS, WATCHED_KINDS } from './kinds';

/** manifests/control-center/rbac.yaml: valid objects, exactly the privileges the server uses, in the managed namespaces only. */
const dir = path.resolve(__dirname, '../../manifests/control-center');
type Doc = { kind: string; metadata: { name: string; namespace?: string } };
const docs = parseAllDocuments(readFileSync(path.join(dir, 'rbac.yaml'), 'utf8')).map((d) => d.toJS() as Doc);
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const managed = (
  parse(
    (parse(readFileSync(path.join(dir, 'configmap.yaml'), 'utf8')) as { data: Record<string, string> }).data[
      'config.yaml'
    ] ?? '',
  ) as { namespaces: string[] }
).namespaces;

const sa = byKind('ServiceAccount')[0] as Doc;
const user = {
  name: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  groups: [
    'system:serviceaccounts',
    `system:serviceaccounts:${sa.metadata.namespace}`,
    'system:authenticated',
  ],
};
/** The shipped objects as the API server's RBAC sees them (nothing else bound to the ServiceAccount). */
const policy: PolicySource = {
  clusterRoleBindings: () => byKind('ClusterRoleBinding') as unknown as Binding[],
  roleBindings: (ns) =>
    byKind('RoleBinding').filter((b) => b.metadata.namespace === ns) as unknown as Binding[],
  clusterRole: (name) => byKind('ClusterRole').find((r) => r.metadata.name === name) as RbacRole | undefined,
  role: (ns, name) =>
    byKind('Role').find((r) => r.metadata.namespace === ns && r.metadata.name === name) as
      | RbacRole
      | undefined,
};
const can = (verb: string, group: string, resource: string, namespace: string, name = '', subresource = '') =>
  authorize(policy, user, {
    resourceRequest: true,
    verb,
    apiGroup: group,
    apiVersion: '',
    resource,
    subresource,
    namespace,
    name,
  }).allowed;
const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';

describe('the control center RBAC manifest', () => {
  it('is a ServiceAccount and, per managed namespace, a Role and a RoleBinding to it, valid by the schemas', () => {
    expect(managed).toEqual(['demo']);
    expect(() => new ServiceAccount(sa as never).validate()).not.toThrow();
    expect(byKind('ClusterRole')).toEqual([]);
    expect(byKind('ClusterRoleBinding')).toEqual([]);
    for (const ns of managed) {
      const role = byKind('Role').find((r) => r.metadata.namespace === ns);
      const binding = byKind('RoleBinding').find((r) => r.metadata.namespace === ns);
      expect(() => new Role(role as never).validate()).not.toThrow();
      expect(() => new RoleBinding(binding as never).validate()).not.toThrow();
      expect(binding).toMatchObject({
        roleRef: { kind: 'Role', name: role?.metadata.name, apiGroup: 'rbac.authorization.k8s.io' },
        subjects: [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }],
      });
    }
  });

  it('lets every informer list and watch its kind in each managed namespace, and nowhere else', () => {
    for (const kind of WATCHED_KINDS) {
      const spec = KIND_SPECS[kind];
      const group = groupOf(spec.apiVersion);
      const resource = spec.path.split('/').pop() as string;
      const name = spec.fieldSelector?.replace('metadata.name=', '') ?? '';
      for (const verb of ['list', 'watch']) {
        for (const ns of managed)
          expect(can(verb, group, resource, ns, name), `${verb} ${resource} in ${ns}`).toBe(true);
        expect(can(verb, group, resource, '', name), `${verb} ${resource} across namespaces`).toBe(false);
        expect(can(verb, group, resource, 'other', name), `${verb} ${resource} in other`).toBe(false);
      }
    }
  });

  it('grants the actions and nothing more', () => {
    const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    const granted = (group: string, resource: string, name = '', sub = '') =>
      new Set(verbs.filter((v) => can(v, group, resource, 'demo', name, sub)));
    expect(granted('argoproj.io', 'rollouts')).toEqual(new Set(['get', 'list', 'watch', 'patch', 'update']));
    expect(granted('argoproj.io', 'rollouts', 'webapp', 'status')).toEqual(new Set(['patch']));
    expect(granted('argoproj.io', 'analysisruns')).toEqual(new Set(['get', 'list', 'watch']));
    expect(granted('apps', 'replicasets')).toEqual(new Set(['get', 'list', 'watch']));
    expect(granted('', 'configmaps')).toEqual(new Set(['create']));
    expect(granted('', 'configmaps', FAULTS_CONFIG_MAP)).toEqual(
      new Set(['get', 'list', 'watch', 'patch', 'create']),
    );
    expect(granted('', 'configmaps', 'another')).toEqual(new Set(['create']));
    expect(granted('', 'pods')).toEqual(new Set(['list', 'watch']));
    expect(granted('', 'pods', 'p', 'log')).toEqual(new Set());
    expect(granted('', 'events')).toEqual(new Set(['list', 'watch']));
    expect(granted('networking.istio.io', 'virtualservices')).toEqual(
      new Set(['get', 'list', 'watch', 'patch']),
    );
    expect(granted('batch', 'jobs')).toEqual(new Set(['get', 'list', 'watch', 'create', 'delete']));
    expect(granted('', 'secrets').size).toBe(0);
    expect(granted('rbac.authorization.k8s.io', 'rolebindings').size).toBe(0);
    expect(granted('', 'serviceaccounts', 'control-center', 'token').size).toBe(0);
    const all = JSON.stringify(byKind('Role'));
    expect(all).not.toContain('"*"');
  });

  it("the recorder's Lease: create, and get + update of its own Lease only, in the control center's namespace", () => {
    const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    const ns = sa.metadata.namespace ?? '';
    const granted = (namespace: string, name = '') =>
      new Set(verbs.filter((v) => can(v, 'coordination.k8s.io', 'leases', namespace, name)));
    expect(ns).toBe('control-center');
    expect(granted(ns, 'control-center-recorder')).toEqual(new Set(['get', 'update', 'create']));
    // create is authorized before the object has a name; nothing else without one
    expect(granted(ns)).toEqual(new Set(['create']));
    expect(granted(ns, 'kube-controller-manager')).toEqual(new Set(['create']));
    for (const elsewhere of ['demo', 'kube-system', 'kube-node-lease', ''])
      expect(granted(elsewhere, 'control-center-recorder'), `leases in "${elsewhere}"`).toEqual(new Set());
    // and nothing else in its own namespace
    expect(can('get', '', 'secrets', ns, 'control-center')).toBe(false);
    expect(can('list', '', 'configmaps', ns)).toBe(false);
  });
});
