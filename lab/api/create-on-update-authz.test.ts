import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { labRequest } from '../testing/lab-client';
import { startTestLab, type TestLab } from '../testing/test-lab';

/** A PUT or apply that creates a missing object is authorized for `create` too, as kube-apiserver does. */
let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
  const put = (plural: string, o: Record<string, unknown>) =>
    lab.store.create(resource(plural), o as KubeObject);
  put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cc' } });
  for (const [name, verbs] of [
    ['updater', ['get', 'update', 'patch']],
    ['creator', ['get', 'update', 'patch', 'create']],
  ] as const) {
    put('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'cc' } });
    put('roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: 'cc' },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs }],
    });
    put('rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: 'cc' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: 'cc' }],
    });
  }
});
afterAll(async () => {
  await lab?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
type Json = any;
const as = (token: string | null, method: string, path: string, body?: unknown, contentType?: string) =>
  labRequest({ url: `${lab.server.url}${path}`, method, ca: lab.caPem, token, body, contentType });
async function tokenOf(name: string): Promise<string> {
  const r = await as(lab.token, 'POST', `/api/v1/namespaces/cc/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {},
  });
  return (r.json as Json).status.token as string;
}
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/cc/leases';
const lease = (name: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'cc' },
  spec: { holderIdentity: 'x', leaseDurationSeconds: 15 },
});

describe('create on PUT and apply', () => {
  it('update without create: 403 worded as apierrors.NewForbidden, nothing created; an existing Lease updates', async () => {
    const token = await tokenOf('updater');
    const put = await as(token, 'PUT', `${LEASES}/l1`, lease('l1'));
    expect(put.status).toBe(403);
    expect(put.json).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: 'leases.coordination.k8s.io "l1" is forbidden: ',
      details: { name: 'l1', group: 'coordination.k8s.io', kind: 'leases' },
    });
    const applied = await as(
      token,
      'PATCH',
      `${LEASES}/l1?fieldManager=t`,
      lease('l1'),
      'application/apply-patch+yaml',
    );
    expect([applied.status, (applied.json as Json).message]).toEqual([
      403,
      'leases.coordination.k8s.io "l1" is forbidden: ',
    ]);
    expect((await as(lab.token, 'GET', `${LEASES}/l1`)).status).toBe(404);

    expect((await as(lab.token, 'POST', LEASES, lease('l2'))).status).toBe(201);
    const current = (await as(token, 'GET', `${LEASES}/l2`)).json as Json;
    const updated = await as(token, 'PUT', `${LEASES}/l2`, { ...current, spec: { holderIdentity: 'y' } });
    expect(updated.status).toBe(200);
  });

  it('update and create: the PUT creates the Lease (201)', async () => {
    const token = await tokenOf('creator');
    const put = await as(token, 'PUT', `${LEASES}/l3`, lease('l3'));
    expect(put.status).toBe(201);
    expect((await as(lab.token, 'GET', `${LEASES}/l3`)).status).toBe(200);
  });
});
