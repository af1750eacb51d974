import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CoordinationV1Api, KubeConfig, V1MicroTime, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../support/testing/tools';
import { LabProcess } from '../e2e/lab-process';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { startTestLab, type TestLab } from '../testing/test-lab';

/** coordination.k8s.io/v1 Leases as kube-apiserver serves them: real kubectl, client-node, RBAC, a lab kill -9. */
let lab: TestLab;
let leases: CoordinationV1Api;
let dir: string;
const NS = 'control-center';
const LEASES = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
type Json = any;

beforeAll(async () => {
  requireTool('kubectl');
  lab = await startTestLab();
  dir = path.join(lab.dir, 'leases');
  mkdirSync(dir);
  const put = (plural: string, o: Record<string, unknown>) =>
    lab.store.create(resource(plural), o as KubeObject);
  put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  put('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'cc', namespace: NS },
  });
  put('roles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'lease', namespace: NS },
    rules: [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['recorder'],
        verbs: ['get', 'update'],
      },
    ],
  });
  put('rolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'lease', namespace: NS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'lease' },
    subjects: [{ kind: 'ServiceAccount', name: 'cc', namespace: NS }],
  });
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
  leases = kc.makeApiClient(CoordinationV1Api);
});
afterAll(async () => {
  await lab?.close();
});

const leaseYaml = (name: string, holder: string, extra = '') => `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: ${name}
  namespace: ${NS}
${extra}spec:
  holderIdentity: ${holder}
  leaseDurationSeconds: 15
  acquireTime: "2026-12-03T05:00:00.123456+01:00"
  renewTime: "2026-12-03T05:00:01.654321+01:00"
`;
function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}
async function ok(args: string[]): Promise<string> {
  const r = await lab.kubectl(args);
  expect(r.stderr, `kubectl ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}
const lease = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: NS },
  spec,
});

describe('Leases with real kubectl', () => {
  it('lists the kind in discovery', async () => {
    expect(await ok(['api-resources', '--api-group=coordination.k8s.io'])).toMatch(
      /leases\s+coordination.k8s.io\/v1\s+true\s+Lease/,
    );
  });

  it('creates, reads back MicroTimes in UTC with six digits, prints NAME HOLDER AGE, applies', async () => {
    expect(await ok(['create', '--save-config', '-f', file('a.yaml', leaseYaml('recorder', 'pod-a'))])).toBe(
      'lease.coordination.k8s.io/recorder created\n',
    );
    const yaml = await ok(['get', 'lease', 'recorder', '-n', NS, '-o', 'yaml']);
    expect(yaml).toContain('acquireTime: "2026-12-03T04:00:00.123456Z"');
    expect(yaml).toContain('renewTime: "2026-12-03T04:00:01.654321Z"');
    expect(yaml).not.toContain('generation:');
    const table = (await ok(['get', 'leases', '-n', NS])).split('\n');
    expect(table[0]).toMatch(/^NAME\s+HOLDER\s+AGE$/);
    expect(table[1]).toMatch(/^recorder\s+pod-a\s+\d+s$/);
    expect(await ok(['apply', '-f', file('b.yaml', leaseYaml('recorder', 'pod-b'))])).toContain(
      'lease.coordination.k8s.io/recorder configured',
    );
    expect(await ok(['get', 'lease', 'recorder', '-n', NS, '-o', 'jsonpath={.spec.holderIdentity}'])).toBe(
      'pod-b',
    );
  });

  it('replace: a stale resourceVersion is a Conflict; a PUT without one is Invalid (Leases need one)', async () => {
    const stale = file('stale.yaml', leaseYaml('recorder', 'pod-c', '  resourceVersion: "1"\n'));
    const conflict = await lab.kubectl(['replace', '-f', stale]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr.trim()).toBe(
      `Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on leases.coordination.k8s.io "recorder": the object has been modified; please apply your changes to the latest version and try again`,
    );
    // kubectl replace fills in the live resourceVersion itself; a raw PUT without one is refused.
    const none = await lab.kubectl(['replace', '-f', file('none.yaml', leaseYaml('recorder', 'pod-c'))]);
    expect(none.stdout).toBe('lease.coordination.k8s.io/recorder replaced\n');
    const raw = await lab.api('PUT', `${LEASES}/recorder`, {
      body: lease('recorder', { holderIdentity: 'x' }),
    });
    expect(raw.status).toBe(422);
    expect((raw.json as Json).message).toBe(
      'leases.coordination.k8s.io "recorder" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('refuses bad specs with the API server messages, changing nothing', async () => {
    const r = await lab.api('POST', LEASES, {
      body: lease('bad', { leaseDurationSeconds: 0, leaseTransitions: -1 }),
    });
    expect(r.status).toBe(422);
    expect((r.json as Json).message).toBe(
      'Lease.coordination.k8s.io "bad" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]',
    );
    const holder = await lab.api('POST', LEASES, { body: lease('bad', { preferredHolder: 'x' }) });
    expect((holder.json as Json).message).toBe(
      'Lease.coordination.k8s.io "bad" is invalid: spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
    );
    const strategy = await lab.api('POST', LEASES, { body: lease('bad', { strategy: 'Newest' }) });
    expect((strategy.json as Json).message).toBe(
      'Lease.coordination.k8s.io "bad" is invalid: spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
    );
    const name = await lab.api('POST', LEASES, { body: lease('Bad_Name', {}) });
    expect(name.status).toBe(422);
    expect((name.json as Json).message).toContain(
      'Lease.coordination.k8s.io "Bad_Name" is invalid: metadata.name',
    );
    const time = await lab.api('POST', LEASES, {
      body: lease('bad', { renewTime: '2026-12-03T04:00:01.654Z' }),
    });
    expect(time.status).toBe(400);
    expect((time.json as Json).message).toBe(
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-03T04:00:01.654Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".654Z" as ".000000"',
    );
    expect((await lab.api('GET', `${LEASES}/bad`)).status).toBe(404);
    // A patch is decoded the same way: nothing changes.
    const before = (await lab.api('GET', `${LEASES}/recorder`)).json as Json;
    const patch = await lab.api('PATCH', `${LEASES}/recorder`, {
      body: { spec: { renewTime: '2026-12-03T04:00:01Z' } },
      contentType: 'application/merge-patch+json',
    });
    expect(patch.status).toBe(400);
    expect((patch.json as Json).message).toContain('cannot parse "Z" as ".000000"');
    expect(((await lab.api('GET', `${LEASES}/recorder`)).json as Json).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('RBAC: a ServiceAccount may get/update its named Lease and nothing more', async () => {
    const t = await lab.api('POST', `/api/v1/namespaces/${NS}/serviceaccounts/cc/token`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    const token = (t.json as Json).status.token as string;
    const can = async (...args: string[]) =>
      (await lab.kubectl(['auth', 'can-i', ...args, '-n', NS, `--token=${token}`])).stdout.trim();
    expect(await can('update', 'leases/recorder')).toBe('yes');
    expect(await can('create', 'leases')).toBe('yes');
    expect(await can('update', 'leases/other')).toBe('no');
    expect(await can('delete', 'leases/recorder')).toBe('no');
    const denied = await lab.kubectl(['delete', 'lease', 'recorder', '-n', NS, `--token=${token}`]);
    expect(denied.stderr).toContain(
      'leases.coordination.k8s.io "recorder" is forbidden: User "system:serviceaccount:control-center:cc" cannot delete resource "leases" in API group "coordination.k8s.io" in the namespace "control-center"',
    );
  });
});

describe('Leases with client-node CoordinationV1Api', () => {
  it('create/replace round trip with V1MicroTime; PUT of an absent Lease creates it; stale replace is 409', async () => {
    const acquired = new V1MicroTime('2026-12-03T04:00:00.000Z');
    const created = await leases.createNamespacedLease({
      namespace: NS,
      body: {
        metadata: { name: 'elector' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: acquired, renewTime: acquired },
      },
    });
    // On read client-node leaves MicroTime fields as strings (its ObjectSerializer has no MicroTime type).
    expect(String(created.spec?.renewTime)).toBe('2026-12-03T04:00:00.000000Z');
    expect(created.metadata?.generation).toBeUndefined();
    const read = await leases.readNamespacedLease({ name: 'elector', namespace: NS });
    const renewed = await leases.replaceNamespacedLease({
      name: 'elector',
      namespace: NS,
      body: { ...read, spec: { ...read.spec, renewTime: new V1MicroTime('2026-12-03T04:00:02.500Z') } },
    });
    expect(String(renewed.spec?.renewTime)).toBe('2026-12-03T04:00:02.500000Z');
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    const stale = await leases.replaceNamespacedLease({ name: 'elector', namespace: NS, body: read }).then(
      () => 200,
      (e: { code?: number }) => e.code,
    );
    expect(stale).toBe(409);
    const put = await lab.api('PUT', `${LEASES}/fresh`, { body: lease('fresh', { holderIdentity: 'z' }) });
    expect(put.status).toBe(201);
  });

  it('a plain Date (three digits) is a 400, as from the real API server', async () => {
    const err = await leases
      .createNamespacedLease({
        namespace: NS,
        body: { metadata: { name: 'plain' }, spec: { renewTime: new Date('2026-12-03T04:00:00.000Z') } },
      })
      .then(
        () => undefined,
        (e: { code?: number; body?: string }) => e,
      );
    expect(err?.code).toBe(400);
    expect(JSON.parse(err?.body ?? '{}').message).toContain('cannot be handled as a Lease: parsing time');
  });

  it('is watched through the generic machinery', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    const seen: string[] = [];
    let done: () => void = () => undefined;
    const got = new Promise<void>((r) => {
      done = r;
    });
    const req = await new Watch(kc).watch(
      LEASES,
      {},
      (type: string, o: Json) => {
        seen.push(`${type} ${o.metadata.name} ${o.spec?.holderIdentity ?? ''}`);
        if (o.spec?.holderIdentity === 'w2') done();
      },
      () => undefined,
    );
    await lab.api('POST', LEASES, { body: lease('watched', { holderIdentity: 'w1' }) });
    await lab.api('PATCH', `${LEASES}/watched`, {
      body: { spec: { holderIdentity: 'w2' } },
      contentType: 'application/merge-patch+json',
    });
    await got;
    req.abort();
    expect(seen).toContain('ADDED watched w1');
    expect(seen).toContain('MODIFIED watched w2');
  });
});

describe('Leases in the lab program', () => {
  let proc: LabProcess | undefined;
  afterAll(async () => {
    await proc?.stop();
  });

  it('an acknowledged renew survives kill -9', async () => {
    proc = await LabProcess.start();
    const base = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
    expect(
      (
        await proc.api('POST', '/api/v1/namespaces', {
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        })
      ).status,
    ).toBe(201);
    const made = await proc.api('POST', base, {
      body: lease('durable', { holderIdentity: 'a', renewTime: '2026-12-03T04:00:00.000001Z' }),
    });
    expect(made.status).toBe(201);
    const renewed = await proc.api('PUT', `${base}/durable`, {
      body: {
        ...(made.json as Json),
        spec: { holderIdentity: 'a', renewTime: '2026-12-03T04:00:09.000009Z' },
      },
    });
    expect(renewed.status).toBe(200);
    await proc.killNine();
    await proc.launch();
    const after = await proc.api('GET', `${base}/durable`);
    expect((after.json as Json).spec.renewTime).toBe('2026-12-03T04:00:09.000009Z');
    expect((after.json as Json).metadata.resourceVersion).toBe(
      (renewed.json as Json).metadata.resourceVersion,
    );
  });
});
