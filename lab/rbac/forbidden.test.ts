import { describe, expect, it } from 'vitest';
import { forbidden } from './forbidden';
import type { Attributes } from './types';

/** The Status of a refused request, worded as apierrors.NewForbidden + responsewriters' forbiddenMessage. */
const user = { name: 'system:serviceaccount:cc:control-center', groups: [] };
const res = (a: Partial<Extract<Attributes, { resourceRequest: true }>>): Attributes => ({
  resourceRequest: true,
  verb: 'list',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: '',
  name: '',
  ...a,
});

describe('403 Forbidden', () => {
  it('names the resource, group, verb, user and namespace', () => {
    expect(forbidden(user, res({ namespace: 'other' }), '').toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "system:serviceaccount:cc:control-center" cannot list resource "pods" in API group "" in the namespace "other"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('qualifies the resource by group, quotes a name, joins the subresource and says cluster scope', () => {
    const e = forbidden(
      user,
      res({
        verb: 'patch',
        apiGroup: 'argoproj.io',
        resource: 'rollouts',
        subresource: 'status',
        name: 'webapp',
        namespace: 'demo',
      }),
      '',
    );
    expect(e.message).toBe(
      'rollouts.argoproj.io "webapp" is forbidden: User "system:serviceaccount:cc:control-center" cannot patch resource "rollouts/status" in API group "argoproj.io" in the namespace "demo"',
    );
    expect(e.details).toEqual({ name: 'webapp', group: 'argoproj.io', kind: 'rollouts' });
    expect(forbidden(user, res({ resource: 'namespaces' }), '').message).toBe(
      'namespaces is forbidden: User "system:serviceaccount:cc:control-center" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
  });

  it('appends the authorizer reason and words non-resource paths', () => {
    expect(
      forbidden(user, res({ namespace: 'x' }), 'RBAC: role.rbac.authorization.k8s.io "r" not found').message,
    ).toMatch(/in the namespace "x": RBAC: role\.rbac\.authorization\.k8s\.io "r" not found$/);
    expect(forbidden(user, { resourceRequest: false, verb: 'get', path: '/metrics' }, '').message).toBe(
      'forbidden: User "system:serviceaccount:cc:control-center" cannot get path "/metrics"',
    );
  });
});
