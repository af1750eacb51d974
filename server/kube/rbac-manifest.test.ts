import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KIND_SPECS, WATCHED_KINDS } from './kinds';

/** manifests/control-center/rbac.yaml: valid objects, and exactly the privileges the server uses. */
const docs = parseAllDocuments(
  readFileSync(path.resolve(__dirname, '../../manifests/control-center/rbac.yaml'), 'utf8'),
).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const role = byKind('ClusterRole')[0] as unknown as { rules: Rule[] };
/** The verbs granted on group/resource (optionally for one object name). */
const granted = (group: string, resource: string, name?: string) =>
  new Set(
    role.rules
      .filter(
        (r) =>
          r.apiGroups.includes(group) &&
          r.resources.includes(resource) &&
          (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))),
      )
      .flatMap((r) => r.verbs),
  );

describe('the control center RBAC manifest', () => {
  it('is a ServiceAccount, a ClusterRole and a binding between them, valid by the Kubernetes schemas', () => {
    const sa = byKind('ServiceAccount')[0];
    const binding = byKind('ClusterRoleBinding')[0];
    expect(() => new ServiceAccount(sa as never).validate()).not.toThrow();
    expect(() => new ClusterRole(role as never).validate()).not.toThrow();
    expect(() => new ClusterRoleBinding(binding as never).validate()).not.toThrow();
    expect(binding).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'control-center', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ kind: 'ServiceAccount', name: sa?.metadata.name, namespace: sa?.metadata.namespace }],
    });
  });

  it('lets every informer list and watch its kind', () => {
    for (const kind of WATCHED_KINDS) {
      const spec = KIND_SPECS[kind];
      const group = spec.apiVersion.includes('/') ? (spec.apiVersion.split('/')[0] as string) : '';
      const resource = spec.path.split('/').pop() as string;
      const verbs = granted(group, resource);
      expect([...verbs], `${group}/${resource}`).toEqual(expect.arrayContaining(['list', 'watch']));
    }
  });

  it('grants the actions and nothing more', () => {
    expect(granted('argoproj.io', 'rollouts')).toEqual(new Set(['get', 'list', 'watch', 'patch', 'update']));
    expect(granted('argoproj.io', 'rollouts/status')).toEqual(new Set(['patch']));
    expect(granted('argoproj.io', 'analysisruns')).toEqual(new Set(['get', 'list', 'watch']));
    expect(granted('apps', 'replicasets')).toEqual(new Set(['get', 'list', 'watch']));
    expect(granted('', 'configmaps')).toEqual(new Set(['list', 'watch', 'create']));
    expect(granted('', 'configmaps', 'webapp-faults')).toEqual(
      new Set(['list', 'watch', 'create', 'get', 'patch']),
    );
    expect(granted('', 'pods')).toEqual(new Set(['list', 'watch']));
    expect(granted('', 'events')).toEqual(new Set(['list', 'watch']));
    expect(granted('networking.istio.io', 'virtualservices')).toEqual(
      new Set(['get', 'list', 'watch', 'patch']),
    );
    expect(granted('batch', 'jobs')).toEqual(new Set(['get', 'list', 'watch', 'create', 'delete']));
    expect(granted('', 'secrets').size).toBe(0);
    const all = role.rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    expect(all).not.toContain('*');
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain('deletecollection');
  });
});
