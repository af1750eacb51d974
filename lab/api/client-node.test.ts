import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../testing/test-lab';

let lab: TestLab;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let kc: KubeConfig;

const rollout = (name: string, setWeight: number) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, namespace: 'demo' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'app:v1' }] },
    },
    strategy: { canary: { steps: [{ setWeight }, { pause: {} }] } },
  },
});

const code = async (p: Promise<unknown>): Promise<number> => {
  try {
    await p;
    return 200;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
};

beforeAll(async () => {
  lab = await startTestLab();
  kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: 'demo' } } });
});
afterAll(async () => {
  await lab?.close();
});

describe('@kubernetes/client-node 1.4 against the lab', () => {
  it('creates, lists, gets, merge-patches and refuses a stale replace with 409', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'settings', labels: { app: 'x' } }, data: { a: '1' } },
    });
    expect(cm.metadata?.uid).toBeTruthy();
    const list = await core.listNamespacedConfigMap({ namespace: 'demo', labelSelector: 'app=x' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['settings']);
    expect(list.metadata?.resourceVersion).toBeTruthy();
    const patched = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'demo', body: { data: { b: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ a: '1', b: '2' });
    const got = await core.readNamespacedConfigMap({ name: 'settings', namespace: 'demo' });
    expect(got.metadata?.resourceVersion).toBe(patched.metadata?.resourceVersion);
    const stale = { ...got, metadata: { ...got.metadata, resourceVersion: cm.metadata?.resourceVersion } };
    expect(
      await code(core.replaceNamespacedConfigMap({ name: 'settings', namespace: 'demo', body: stale })),
    ).toBe(409);
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'demo',
      body: { ...got, data: { c: '3' } },
    });
    expect(replaced.data).toEqual({ c: '3' });
  });

  it('serves custom resources: create, get at another Istio version, json patch, 422 for setWeight 150', async () => {
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'demo',
      plural: 'rollouts',
      body: rollout('web', 20),
    });
    const ro = (await custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'demo',
      plural: 'rollouts',
      name: 'web',
    })) as { spec: { strategy: { canary: { steps: unknown[] } } } };
    expect(ro.spec.strategy.canary.steps).toHaveLength(2);
    const bad = custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'demo',
      plural: 'rollouts',
      body: rollout('bad', 150),
    });
    expect(await code(bad)).toBe(422);
    const vs = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
      metadata: { name: 'web' },
      spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' } }] }] },
    };
    const gv = { group: 'networking.istio.io', namespace: 'demo', plural: 'virtualservices' };
    await custom.createNamespacedCustomObject({ ...gv, version: 'v1alpha3', body: vs });
    const v1 = (await custom.getNamespacedCustomObject({ ...gv, version: 'v1', name: 'web' })) as {
      apiVersion: string;
    };
    expect(v1.apiVersion).toBe('networking.istio.io/v1');
    const patched = (await custom.patchNamespacedCustomObject(
      {
        ...gv,
        version: 'v1beta1',
        name: 'web',
        body: [{ op: 'add', path: '/spec/gateways', value: ['gw'] }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    )) as { apiVersion: string; spec: { gateways: string[] } };
    expect(patched.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(patched.spec.gateways).toEqual(['gw']);
  });

  it('a Watch receives ADDED, MODIFIED and DELETED in order', async () => {
    const events: string[] = [];
    const rv = (await core.listNamespacedConfigMap({ namespace: 'demo' })).metadata?.resourceVersion;
    const watch = new Watch(kc);
    const done = new Promise<void>((resolve) => {
      void watch
        .watch(
          '/api/v1/namespaces/demo/configmaps',
          { resourceVersion: rv },
          (type, obj: { metadata: { name: string } }) => {
            events.push(`${type} ${obj.metadata.name}`);
            if (type === 'DELETED') resolve();
          },
          () => resolve(),
        )
        .then((ctrl) => done.finally(() => ctrl.abort()));
    });
    await new Promise((r) => setTimeout(r, 200));
    await core.createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'w' }, data: { a: '1' } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'w', namespace: 'demo', body: { data: { a: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'demo' });
    await done;
    expect(events).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  it('401 without a token; 422 for a bad name; 404 Status for unknown paths', async () => {
    const anon = await lab.api('GET', '/api/v1/namespaces', { auth: false });
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const badName = core.createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'Bad_Name' } },
    });
    expect(await code(badName)).toBe(422);
    const unknown = await lab.api('GET', '/apis/apps/v1/namespaces/demo/statefulsets');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe('expired resourceVersion', () => {
  it('a watch from an expired resourceVersion gets 410 as an ERROR event; a relist and new watch work', async () => {
    const small = await startTestLab({ historySize: 3 });
    try {
      const kc2 = new KubeConfig();
      kc2.loadFromFile(small.kubeconfig);
      const api = kc2.makeApiClient(CoreV1Api);
      await api.createNamespace({ body: { metadata: { name: 'demo' } } });
      for (let i = 0; i < 10; i++)
        await api.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: `c${i}` } } });
      const watch = new Watch(kc2);
      const first = await new Promise<{ type: string; obj: { code?: number; reason?: string } }>(
        (resolve, reject) => {
          void watch.watch(
            '/api/v1/namespaces/demo/configmaps',
            { resourceVersion: '2' },
            (type, obj) => resolve({ type, obj }),
            (err) => reject(err ?? new Error('closed')),
          );
        },
      );
      expect(first.type).toBe('ERROR');
      expect(first.obj).toMatchObject({ code: 410, reason: 'Expired' });
      const relist = await api.listNamespacedConfigMap({ namespace: 'demo' });
      expect(relist.items).toHaveLength(10);
      const seen = await new Promise<string>((resolve) => {
        void watch
          .watch(
            '/api/v1/namespaces/demo/configmaps',
            { resourceVersion: relist.metadata?.resourceVersion },
            (type, obj: { metadata: { name: string } }) => resolve(`${type} ${obj.metadata.name}`),
            () => undefined,
          )
          .then(() =>
            api.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: 'after' } } }),
          );
      });
      expect(seen).toBe('ADDED after');
    } finally {
      await small.close();
    }
  });
});
