import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../testing/test-lab';
import { pod } from './test-manifests';

let lab: TestLab;
type Obj = { metadata: { resourceVersion: string; name: string }; [k: string]: unknown };

beforeAll(async () => {
  lab = await startTestLab({ bookmarkIntervalMs: 300 });
  await lab.api('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } },
  });
});
afterAll(async () => {
  await lab?.close();
});

/** Reads a watch stream until the server ends it and returns its events; fails when that takes over `ms`. */
function readWatch(
  path: string,
  ms: number,
  onOpen?: () => void,
): Promise<Array<{ type: string; object: Obj }>> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${lab.server.url}${path}`,
      { ca: lab.caPem, headers: { Authorization: `Bearer ${lab.token}` } },
      (res) => {
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString();
        });
        const finish = () =>
          resolve(
            buf
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          );
        const timer = setTimeout(() => {
          req.destroy();
          reject(new Error(`the server did not close the watch ${path} within ${ms} ms`));
        }, ms);
        res.on('end', () => {
          clearTimeout(timer);
          finish();
        });
        onOpen?.();
      },
    );
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

describe('the lab API over HTTPS', () => {
  it('serves health unauthenticated, discovery and OpenAPI v3 with PATCH operations', async () => {
    expect((await lab.api('GET', '/healthz', { auth: false })).text).toBe('ok');
    expect((await lab.api('GET', '/version', { auth: false })).json).toMatchObject({
      major: '1',
      minor: '32',
    });
    const wrong = await lab.api('GET', '/api', { auth: false });
    expect(wrong.status).toBe(401);
    const groups = (await lab.api('GET', '/apis')).json as {
      groups: Array<{ name: string; versions: unknown[] }>;
    };
    expect(groups.groups.find((g) => g.name === 'networking.istio.io')?.versions).toHaveLength(3);
    const argo = (await lab.api('GET', '/apis/argoproj.io/v1alpha1')).json as {
      resources: Array<{ name: string; shortNames?: string[] }>;
    };
    expect(argo.resources.map((r) => r.name)).toContain('rollouts/status');
    const core = (await lab.api('GET', '/api/v1')).json as { resources: Array<{ name: string }> };
    expect(core.resources.map((r) => r.name)).toContain('pods/log');
    expect((await lab.api('GET', '/openapi/v2')).status).toBe(404);
    const root = (await lab.api('GET', '/openapi/v3')).json as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const url = root.paths['apis/argoproj.io/v1alpha1']?.serverRelativeURL ?? '';
    const doc = (await lab.api('GET', url)).json as {
      paths: Record<string, { patch?: Record<string, unknown> }>;
    };
    const patch = doc.paths['/apis/argoproj.io/v1alpha1/namespaces/{namespace}/rollouts/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
    });
    expect(JSON.stringify(patch?.parameters)).toContain('fieldValidation');
  });

  it('answers errors as Status: 400 bad JSON, 405, 413, 415, 409 AlreadyExists, 404 for unknown paths', async () => {
    const badJson = await lab.api('POST', '/api/v1/namespaces/demo/configmaps', { body: '{nope' });
    expect(badJson.json).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
    expect((await lab.api('PUT', '/api/v1/namespaces/demo/configmaps')).status).toBe(405);
    const big = await lab.api('POST', '/api/v1/namespaces/demo/configmaps', {
      body: { data: { a: 'x'.repeat(3.5 * 1024 * 1024) } },
    });
    expect(big.status).toBe(413);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    expect((await lab.api('POST', '/api/v1/namespaces/demo/configmaps', { body: cm })).status).toBe(201);
    expect((await lab.api('POST', '/api/v1/namespaces/demo/configmaps', { body: cm })).json).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });
    const wrongKind = await lab.api('POST', '/api/v1/namespaces/demo/configmaps', {
      body: { ...cm, kind: 'Secret' },
    });
    expect(wrongKind.status).toBe(400);
    const yamlPatch = await lab.api('PATCH', '/api/v1/namespaces/demo/configmaps/c', {
      body: '{}',
      contentType: 'text/plain',
    });
    expect(yamlPatch.status).toBe(415);
    expect((await lab.api('GET', '/apis/nope.io/v1/things')).json).toMatchObject({
      code: 404,
      reason: 'NotFound',
    });
    expect((await lab.api('GET', '/api/v1/namespaces/demo/configmaps/missing')).json).toMatchObject({
      message: 'configmaps "missing" not found',
    });
  });

  it('dryRun=All stores nothing; a no-op patch keeps the resourceVersion; apply-patch creates then merges', async () => {
    const dry = await lab.api('POST', '/api/v1/namespaces/demo/configmaps?dryRun=All', {
      body: { metadata: { name: 'dry' } },
    });
    expect(dry.status).toBe(201);
    expect((await lab.api('GET', '/api/v1/namespaces/demo/configmaps/dry')).status).toBe(404);
    const before = (await lab.api('GET', '/api/v1/namespaces/demo/configmaps/c')).json as Obj;
    const noop = await lab.api('PATCH', '/api/v1/namespaces/demo/configmaps/c', {
      contentType: 'application/merge-patch+json',
      body: { data: { a: '1' } },
    });
    expect((noop.json as Obj).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const path = '/apis/argoproj.io/v1alpha1/namespaces/demo/analysistemplates/t?fieldManager=test';
    const tpl = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 't' },
      spec: { metrics: [{ name: 'm', provider: { web: { url: 'http://x' } } }] },
    };
    const created = await lab.api('PATCH', path, { contentType: 'application/apply-patch+yaml', body: tpl });
    expect(created.status).toBe(201);
    const merged = await lab.api('PATCH', path, {
      contentType: 'application/apply-patch+yaml',
      body: { ...tpl, metadata: { name: 't', labels: { x: 'y' } } },
    });
    expect(merged.status).toBe(200);
    expect((merged.json as Obj).metadata).toMatchObject({ labels: { x: 'y' } });
  });

  it('status subresource changes only status; stale PUT is 409', async () => {
    await lab.api('POST', '/api/v1/namespaces/demo/pods', { body: pod('s1') });
    const res = await lab.api('PATCH', '/api/v1/namespaces/demo/pods/s1/status', {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { ignored: 'yes' } }, status: { phase: 'Running' } },
    });
    expect(res.json).toMatchObject({ status: { phase: 'Running' } });
    expect((res.json as Obj).metadata).not.toHaveProperty('labels.ignored');
    const stale = { ...(res.json as Obj), metadata: { ...(res.json as Obj).metadata, resourceVersion: '1' } };
    expect((await lab.api('PUT', '/api/v1/namespaces/demo/pods/s1', { body: stale })).status).toBe(409);
  });

  it('serves Tables with PartialObjectMetadata rows and honours includeObject', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const t = (await lab.api('GET', '/api/v1/namespaces/demo/pods', { accept })).json as {
      kind: string;
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[]; object?: { kind: string } }>;
    };
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
    ]);
    expect(t.rows[0]?.object?.kind).toBe('PartialObjectMetadata');
    const none = (await lab.api('GET', '/api/v1/namespaces/demo/pods?includeObject=None', { accept }))
      .json as { rows: Array<{ object?: unknown }> };
    expect(none.rows[0]?.object).toBeUndefined();
  });

  it('watch: bookmarks, timeoutSeconds closes the stream, label selectors filter', async () => {
    const rv = ((await lab.api('GET', '/api/v1/namespaces/demo/configmaps')).json as Obj).metadata
      .resourceVersion;
    const path = `/api/v1/namespaces/demo/configmaps?watch=1&resourceVersion=${rv}&labelSelector=w%3D1&timeoutSeconds=1&allowWatchBookmarks=true`;
    // Resolves only when the server ends the stream (timeoutSeconds=1); fails loudly if it never does.
    const events = await readWatch(path, 15_000, () => {
      void lab.api('POST', '/api/v1/namespaces/demo/configmaps', { body: { metadata: { name: 'w0' } } });
      void lab.api('POST', '/api/v1/namespaces/demo/configmaps', {
        body: { metadata: { name: 'w1', labels: { w: '1' } } },
      });
    });
    expect(
      events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name}`),
    ).toEqual(['ADDED w1']);
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(Number(bookmark?.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    const del = await lab.api('DELETE', '/api/v1/namespaces/demo/configmaps?labelSelector=w%3D1');
    expect((del.json as { items: unknown[] }).items).toHaveLength(1);
  });
});
