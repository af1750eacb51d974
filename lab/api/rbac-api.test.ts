import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { labRequest } from '../testing/lab-client';
import { startTestLab, type TestLab } from '../testing/test-lab';

/** The lab's API server enforcing RBAC for ServiceAccount tokens: authentication, the verb of each request, 403s. */
let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
  const put = (plural: string, o: Record<string, unknown>) =>
    lab.store.create(resource(plural), o as KubeObject);
  for (const name of ['cc', 'demo', 'other'])
    put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  put('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'bot', namespace: 'cc' },
  });
  put('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'demo' },
    spec: { containers: [{ name: 'c', image: 'webapp:v1.0' }] },
  });
  put('roles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'r', namespace: 'demo' },
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['only'], verbs: ['list', 'watch'] },
    ],
  });
  put('rolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'r', namespace: 'demo' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'cc' }],
  });
});
afterAll(async () => {
  await lab?.close();
});

const as = (token: string | null, method: string, path: string, body?: unknown, contentType?: string) =>
  labRequest({ url: `${lab.server.url}${path}`, method, ca: lab.caPem, token, body, contentType });
async function tokenFor(name = 'bot', spec: Record<string, unknown> = {}) {
  return as(lab.token, 'POST', `/api/v1/namespaces/cc/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec,
  });
}
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
type Json = any;
const bot = async () => ((await tokenFor()).json as Json).status.token as string;
const msg = (r: { json: unknown }) => (r.json as Json).message as string;
const BOT = 'system:serviceaccount:cc:bot';

describe('TokenRequest', () => {
  it('answers 201 with a token and its expiry (default one hour); validates the duration; 404 for a missing account', async () => {
    const r = await tokenFor();
    expect(r.status).toBe(201);
    const j = r.json as Json;
    expect(j).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'bot', namespace: 'cc' },
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 },
    });
    const ttl = Date.parse(j.status.expirationTimestamp) - Date.parse(j.metadata.creationTimestamp);
    expect(ttl).toBe(3600_000);
    const short = await tokenFor('bot', { expirationSeconds: 60 });
    expect([short.status, msg(short)]).toEqual([
      422,
      'TokenRequest "bot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    ]);
    const missing = await tokenFor('nobody');
    expect([missing.status, msg(missing)]).toEqual([404, 'serviceaccounts "nobody" not found']);
  });

  it('a token stops working when its ServiceAccount is deleted and recreated (another uid); bad tokens are 401', async () => {
    const sa = resource('serviceaccounts');
    lab.store.create(sa, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'temp', namespace: 'cc' },
    });
    const token = ((await tokenFor('temp')).json as Json).status.token as string;
    expect((await as(token, 'GET', '/api')).status).toBe(200);
    lab.store.delete(sa, 'cc', 'temp');
    lab.store.create(sa, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'temp', namespace: 'cc' },
    });
    expect((await as(token, 'GET', '/api')).status).toBe(401);
    expect((await as(`${token.slice(0, -4)}AAAA`, 'GET', '/api')).status).toBe(401);
    expect((await as(null, 'GET', '/api/v1/namespaces/demo/pods')).status).toBe(401);
    expect((await as(null, 'GET', '/version')).status).toBe(200);
  });
});

describe('authorization of every request with its verb', () => {
  it('list yes, get/watch no; a subresource is its own resource; 403 before 404', async () => {
    const t = await bot();
    expect((await as(t, 'GET', '/api/v1/namespaces/demo/pods')).status).toBe(200);
    const get = await as(t, 'GET', '/api/v1/namespaces/demo/pods/p');
    expect([get.status, msg(get)]).toEqual([
      403,
      `pods "p" is forbidden: User "${BOT}" cannot get resource "pods" in API group "" in the namespace "demo"`,
    ]);
    const watch = await as(t, 'GET', '/api/v1/namespaces/demo/pods?watch=true');
    expect(msg(watch)).toBe(
      `pods is forbidden: User "${BOT}" cannot watch resource "pods" in API group "" in the namespace "demo"`,
    );
    const log = await as(t, 'GET', '/api/v1/namespaces/demo/pods/p/log');
    expect(msg(log)).toContain('cannot get resource "pods/log"');
    const patchMain = await as(
      t,
      'PATCH',
      '/api/v1/namespaces/demo/pods/p',
      { metadata: { labels: { a: 'b' } } },
      'application/merge-patch+json',
    );
    expect(msg(patchMain)).toContain('cannot patch resource "pods" in API group ""');
    const patchStatus = await as(
      t,
      'PATCH',
      '/api/v1/namespaces/demo/pods/p/status',
      { status: { phase: 'Running' } },
      'application/merge-patch+json',
    );
    expect(patchStatus.status).toBe(200);
    expect(msg(await as(t, 'DELETE', '/api/v1/namespaces/demo/pods'))).toContain(
      'cannot deletecollection resource "pods"',
    );
    expect(msg(await as(t, 'GET', '/api/v1/pods'))).toContain(
      'cannot list resource "pods" in API group "" at the cluster scope',
    );
    const nowhere = await as(t, 'GET', '/api/v1/namespaces/nowhere/pods/x');
    expect(nowhere.status).toBe(403);
  });

  it('a name pinned by a field selector is what resourceNames allow, for list and watch', async () => {
    const t = await bot();
    const cm = '/api/v1/namespaces/demo/configmaps';
    expect((await as(t, 'GET', `${cm}?fieldSelector=metadata.name%3Donly`)).status).toBe(200);
    expect((await as(t, 'GET', `${cm}?fieldSelector=metadata.name%3Dother`)).status).toBe(403);
    expect((await as(t, 'GET', cm)).status).toBe(403);
  });

  it("refuses to change a binding's roleRef (422), other changes go through", async () => {
    const rb = '/apis/rbac.authorization.k8s.io/v1/namespaces/demo/rolebindings/r';
    const merge = 'application/merge-patch+json';
    const changed = await as(lab.token, 'PATCH', rb, { roleRef: { name: 'admin' } }, merge);
    expect([changed.status, msg(changed)]).toEqual([
      422,
      'RoleBinding.rbac.authorization.k8s.io "r" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"admin"}: cannot change roleRef',
    ]);
    const labelled = await as(lab.token, 'PATCH', rb, { metadata: { labels: { team: 'a' } } }, merge);
    expect(labelled.status).toBe(200);
  });

  it('answers SelfSubjectAccessReview and SelfSubjectRulesReview for the caller', async () => {
    const t = await bot();
    const review = (attrs: Record<string, unknown>) =>
      as(t, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: attrs,
      });
    const yes = await review({ resourceAttributes: { namespace: 'demo', verb: 'list', resource: 'pods' } });
    expect([yes.status, (yes.json as Json).status]).toEqual([
      201,
      {
        allowed: true,
        reason: 'RBAC: allowed by RoleBinding "r/demo" of Role "r" to ServiceAccount "bot/cc"',
      },
    ]);
    const no = await review({ resourceAttributes: { namespace: 'other', verb: 'list', resource: 'pods' } });
    expect((no.json as Json).status).toEqual({ allowed: false });
    const both = await review({});
    expect(both.status).toBe(422);
    const rules = await as(t, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'demo' },
    });
    expect((rules.json as Json).status.resourceRules).toContainEqual({
      verbs: ['list'],
      apiGroups: [''],
      resources: ['pods'],
    });
  });
});
