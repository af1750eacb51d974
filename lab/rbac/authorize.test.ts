import { describe, expect, it } from 'vitest';
import { authorize, rulesFor } from './authorize';
import type { Attributes, Binding, PolicyRule, PolicySource, Role, Subject, UserInfo } from './types';

/** TestAuthorizer of Kubernetes' plugin/pkg/auth/authorizer/rbac/rbac_test.go, and the binding rules around it. */
const GROUP = 'rbac.authorization.k8s.io';
const newRule = (verbs: string, apiGroups: string, resources: string, urls: string): PolicyRule => ({
  verbs: verbs.split(','),
  apiGroups: apiGroups.split(','),
  resources: resources.split(','),
  nonResourceURLs: urls.split(','),
});
const subjects = (list: string[]): Subject[] =>
  list.map((s) => {
    const [kind = '', name = ''] = s.split(/:(.*)/s);
    return kind === 'ServiceAccount' ? { kind, name } : { kind, name, apiGroup: GROUP };
  });
const clusterRoleBinding = (role: string, ...who: string[]): Binding => ({
  metadata: { name: `crb-${role}` },
  roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role },
  subjects: subjects(who),
});
const roleBinding = (ns: string, role: string, kind: 'Role' | 'ClusterRole', ...who: string[]): Binding => ({
  metadata: { name: `rb-${role}`, namespace: ns },
  roleRef: { apiGroup: GROUP, kind, name: role },
  subjects: subjects(who),
});
function policy(p: {
  roles?: Role[];
  clusterRoles?: Role[];
  roleBindings?: Binding[];
  clusterRoleBindings?: Binding[];
}): PolicySource {
  return {
    clusterRoleBindings: () => p.clusterRoleBindings ?? [],
    roleBindings: (ns) => (p.roleBindings ?? []).filter((b) => b.metadata.namespace === ns),
    clusterRole: (name) => (p.clusterRoles ?? []).find((r) => r.metadata.name === name),
    role: (ns, name) => (p.roles ?? []).find((r) => r.metadata.namespace === ns && r.metadata.name === name),
  };
}
const user = (name: string, groups = ''): UserInfo => ({ name, groups: groups ? groups.split(',') : [] });
const res = (verb: string, resource: string, subresource: string, namespace: string): Attributes => ({
  resourceRequest: true,
  verb,
  apiGroup: '',
  apiVersion: '',
  resource,
  subresource,
  namespace,
  name: '',
});
const url = (verb: string, path: string): Attributes => ({ resourceRequest: false, verb, path });
type Case = [UserInfo, Attributes];

const reference: Array<{ policy: PolicySource; pass: Case[]; fail: Case[] }> = [
  {
    policy: policy({
      clusterRoles: [{ metadata: { name: 'admin' }, rules: [newRule('*', '*', '*', '*')] }],
      roleBindings: [roleBinding('ns1', 'admin', 'ClusterRole', 'User:admin', 'Group:admins')],
    }),
    pass: [
      [user('admin'), res('get', 'Pods', '', 'ns1')],
      [user('admin'), res('watch', 'Pods', '', 'ns1')],
      [user('admin', 'group1'), res('watch', 'Foobar', '', 'ns1')],
      [user('joe', 'admins'), res('watch', 'Foobar', '', 'ns1')],
      [user('joe', 'group1,admins'), res('watch', 'Foobar', '', 'ns1')],
    ],
    fail: [
      [user('admin'), res('GET', 'Pods', '', 'ns2')],
      [user('admin'), res('GET', 'Nodes', '', '')],
      [user('admin', 'admins'), res('GET', 'Pods', '', 'ns2')],
      [user('admin', 'admins'), res('GET', 'Nodes', '', '')],
    ],
  },
  {
    policy: policy({
      clusterRoles: [
        { metadata: { name: 'non-resource-url-getter' }, rules: [newRule('get', '', '', '/apis')] },
        { metadata: { name: 'non-resource-url' }, rules: [newRule('*', '', '', '/apis')] },
        { metadata: { name: 'non-resource-url-prefix' }, rules: [newRule('get', '', '', '/apis/*')] },
      ],
      clusterRoleBindings: [
        clusterRoleBinding('non-resource-url-getter', 'User:foo', 'Group:bar'),
        clusterRoleBinding('non-resource-url', 'User:admin', 'Group:admin'),
        clusterRoleBinding('non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
      ],
    }),
    pass: [
      [user('foo'), url('get', '/apis')],
      [user('', 'bar'), url('get', '/apis')],
      [user('admin'), url('get', '/apis')],
      [user('', 'admin'), url('get', '/apis')],
      [user('admin'), url('watch', '/apis')],
      [user('', 'admin'), url('watch', '/apis')],
      [user('prefixed'), url('get', '/apis/v1')],
      [user('', 'prefixed'), url('get', '/apis/v1')],
      [user('prefixed'), url('get', '/apis/v1/foobar')],
      [user('', 'prefixed'), url('get', '/apis/v1/foorbar')],
    ],
    fail: [
      [user('foo'), url('watch', '/apis')],
      [user('', 'bar'), url('watch', '/apis')],
      [user('foo'), url('get', '/api/v1')],
      [user('', 'bar'), url('get', '/api/v1')],
      [user('admin'), url('get', '/api/v1')],
      [user('', 'admin'), url('get', '/api/v1')],
      [user('prefixed'), url('get', '/api/v1')],
      [user('', 'prefixed'), url('get', '/api/v1')],
    ],
  },
  {
    policy: policy({
      clusterRoles: [{ metadata: { name: 'admin' }, rules: [newRule('*', '*', 'pods', '*')] }],
      roleBindings: [roleBinding('ns1', 'admin', 'ClusterRole', 'User:admin', 'Group:admins')],
    }),
    pass: [[user('admin'), res('get', 'pods', '', 'ns1')]],
    fail: [[user('admin'), res('get', 'pods', 'status', 'ns1')]],
  },
  {
    policy: policy({
      clusterRoles: [{ metadata: { name: 'admin' }, rules: [newRule('*', '*', 'pods/status', '*')] }],
      roleBindings: [roleBinding('ns1', 'admin', 'ClusterRole', 'User:admin', 'Group:admins')],
    }),
    pass: [[user('admin'), res('get', 'pods', 'status', 'ns1')]],
    fail: [[user('admin'), res('get', 'pods', '', 'ns1')]],
  },
];

const sa = (ns: string, name: string): UserInfo => ({
  name: `system:serviceaccount:${ns}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
});

describe('the RBAC authorizer', () => {
  it.each(reference.map((c, i) => [i, c] as const))('reference case %i', (_i, c) => {
    for (const [u, a] of c.pass) expect(authorize(c.policy, u, a).allowed, JSON.stringify([u, a])).toBe(true);
    for (const [u, a] of c.fail)
      expect(authorize(c.policy, u, a).allowed, JSON.stringify([u, a])).toBe(false);
  });

  it('binds ServiceAccounts by namespace: a RoleBinding subject without one means the binding namespace', () => {
    const p = policy({
      roles: [{ metadata: { name: 'r', namespace: 'demo' }, rules: [newRule('get', '', 'pods', '')] }],
      roleBindings: [
        roleBinding('demo', 'r', 'Role', 'ServiceAccount:local'),
        {
          ...roleBinding('demo', 'r', 'Role'),
          subjects: [{ kind: 'ServiceAccount', name: 'cc', namespace: 'cc' }],
        },
      ],
      clusterRoles: [{ metadata: { name: 'c' }, rules: [newRule('list', '', 'nodes', '')] }],
      clusterRoleBindings: [clusterRoleBinding('c', 'ServiceAccount:nons')],
    });
    expect(authorize(p, sa('demo', 'local'), res('get', 'pods', '', 'demo')).allowed).toBe(true);
    expect(authorize(p, sa('other', 'local'), res('get', 'pods', '', 'demo')).allowed).toBe(false);
    expect(authorize(p, sa('cc', 'cc'), res('get', 'pods', '', 'demo')).allowed).toBe(true);
    expect(authorize(p, sa('cc', 'cc'), res('get', 'pods', '', 'other')).allowed).toBe(false);
    // A ClusterRoleBinding subject without a namespace names no ServiceAccount.
    expect(authorize(p, sa('default', 'nons'), res('list', 'nodes', '', '')).allowed).toBe(false);
    // A RoleBinding grants nothing at the cluster scope.
    expect(authorize(p, sa('cc', 'cc'), res('get', 'pods', '', '')).allowed).toBe(false);
  });

  it('explains an allow by its binding, and a deny caused by a missing role', () => {
    const p = policy({
      roles: [{ metadata: { name: 'r', namespace: 'demo' }, rules: [newRule('get', '', 'pods', '')] }],
      roleBindings: [
        {
          ...roleBinding('demo', 'r', 'Role'),
          subjects: [{ kind: 'ServiceAccount', name: 'cc', namespace: 'cc' }],
        },
        roleBinding('demo', 'gone', 'Role', 'User:u'),
      ],
      clusterRoleBindings: [clusterRoleBinding('absent', 'User:u')],
    });
    expect(authorize(p, sa('cc', 'cc'), res('get', 'pods', '', 'demo'))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "rb-r/demo" of Role "r" to ServiceAccount "cc/cc"',
    });
    expect(authorize(p, user('u'), res('get', 'pods', '', 'demo'))).toEqual({
      allowed: false,
      reason:
        'RBAC: [clusterrole.rbac.authorization.k8s.io "absent" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
    expect(authorize(p, sa('cc', 'cc'), res('delete', 'pods', '', 'demo'))).toEqual({
      allowed: false,
      reason: '',
    });
  });

  it('lets system:masters do anything without a binding', () => {
    const p = policy({});
    expect(
      authorize(p, user('kubernetes-admin', 'system:masters'), res('delete', 'nodes', '', '')).allowed,
    ).toBe(true);
    expect(
      authorize(p, user('kubernetes-admin', 'system:authenticated'), url('get', '/version')).allowed,
    ).toBe(false);
  });

  it('lists the rules that apply in a namespace (SelfSubjectRulesReview)', () => {
    const get = newRule('get', '', 'pods', '');
    const discovery: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/api'] };
    const p = policy({
      roles: [{ metadata: { name: 'r', namespace: 'demo' }, rules: [get] }],
      roleBindings: [roleBinding('demo', 'r', 'Role', 'Group:system:serviceaccounts:cc')],
      clusterRoles: [{ metadata: { name: 'd' }, rules: [discovery] }],
      clusterRoleBindings: [clusterRoleBinding('d', 'Group:system:authenticated')],
    });
    expect(rulesFor(p, sa('cc', 'x'), 'demo')).toEqual({
      rules: [discovery, get],
      incomplete: false,
      evaluationError: '',
    });
    expect(rulesFor(p, sa('cc', 'x'), 'other').rules).toEqual([discovery]);
  });
});
