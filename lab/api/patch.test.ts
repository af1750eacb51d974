import { beforeAll, describe, expect, it } from 'vitest';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { applyPatch } from './patch';
import { loadValidators, validateObject } from './validate-object';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'demo', labels: { a: '1' }, finalizers: ['x'] },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'app:v1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80 }],
        volumeMounts: [{ name: 'v', mountPath: '/data' }],
      },
      { name: 'side', image: 'side:v1' },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
    tolerations: [{ key: 'k' }],
  },
});
const pods = resource('pods');
const spec = (o: KubeObject) =>
  o.spec as { containers: Array<Record<string, unknown>>; [k: string]: unknown };

describe('applyPatch', () => {
  it('merge patch: sets, deletes with null, leaves the input untouched', () => {
    const cur = pod();
    const out = applyPatch(pods, cur, 'merge', { metadata: { labels: { a: null, b: '2' } } });
    expect(out.metadata.labels).toEqual({ b: '2' });
    expect(cur.metadata.labels).toEqual({ a: '1' });
  });

  it('json patch: applies ops; a failing op is 422 and changes nothing; malformed is 400', () => {
    const cur = pod();
    const out = applyPatch(pods, cur, 'json', [
      { op: 'replace', path: '/spec/containers/0/image', value: 'app:v2' },
    ]);
    expect(spec(out).containers[0]?.image).toBe('app:v2');
    const before = JSON.stringify(cur);
    const ops = [
      { op: 'replace', path: '/spec/containers/0/image', value: 'app:v3' },
      { op: 'test', path: '/metadata/name', value: 'other' },
    ];
    expect(() => applyPatch(pods, cur, 'json', ops)).toThrow(expect.objectContaining({ code: 422 }));
    expect(JSON.stringify(cur)).toBe(before);
    expect(() => applyPatch(pods, cur, 'json', [{ op: 'bogus', path: '/x' }])).toThrow(
      expect.objectContaining({ code: 400 }),
    );
    expect(() => applyPatch(pods, cur, 'json', { op: 'add' })).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });

  it('strategic merge: lists merge by key, $patch delete/replace, null deletes, $setElementOrder, finalizers union', () => {
    const out = applyPatch(pods, pod(), 'strategic', {
      metadata: { finalizers: ['y'] },
      spec: {
        containers: [
          {
            name: 'app',
            env: [
              { name: 'A', $patch: 'delete' },
              { name: 'C', value: '3' },
            ],
            ports: [{ containerPort: 80, name: 'http' }],
            volumeMounts: [{ mountPath: '/data', readOnly: true }],
          },
          { name: 'side', $patch: 'delete' },
          { name: 'new', image: 'new:v1' },
        ],
        volumes: [{ $patch: 'replace' }, { name: 'w', emptyDir: {} }],
        tolerations: [{ key: 'other' }],
        nodeName: null,
      },
    });
    const s = spec(out);
    expect(s.containers.map((c) => c.name)).toEqual(['app', 'new']);
    expect(s.containers[0]?.env).toEqual([
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
    expect(s.containers[0]?.ports).toEqual([{ containerPort: 80, name: 'http' }]);
    expect(s.containers[0]?.volumeMounts).toEqual([{ name: 'v', mountPath: '/data', readOnly: true }]);
    expect(s.volumes).toEqual([{ name: 'w', emptyDir: {} }]);
    expect(s.tolerations).toEqual([{ key: 'other' }]);
    expect(out.metadata.finalizers).toEqual(['x', 'y']);
    const ordered = applyPatch(pods, pod(), 'strategic', {
      spec: {
        '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
        containers: [{ name: 'app', image: 'app:v9' }],
      },
    });
    expect(spec(ordered).containers.map((c) => `${c.name}:${c.image}`)).toEqual([
      'side:side:v1',
      'app:app:v9',
    ]);
    const cleared = applyPatch(pods, pod(), 'strategic', {
      spec: { $retainKeys: ['containers'], containers: [] },
    });
    expect(Object.keys(spec(cleared))).toEqual(['containers']);
  });

  it('strategic merge on a custom resource is 415; apply merges the given fields', () => {
    const ro = resource('rollouts');
    const obj: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: { replicas: 1 },
    };
    expect(() => applyPatch(ro, obj, 'strategic', { spec: {} })).toThrow(
      expect.objectContaining({ code: 415 }),
    );
    const applied = applyPatch(ro, obj, 'apply', {
      metadata: { name: 'r', managedFields: [] },
      spec: { paused: true },
    });
    expect(applied.spec).toEqual({ replicas: 1, paused: true });
    expect(applied.metadata).toEqual({ name: 'r' });
  });
});

describe('validateObject', () => {
  beforeAll(() => loadValidators());
  const expectInvalid = (plural: string, obj: unknown, field: string) => {
    try {
      validateObject(resource(plural), obj as KubeObject);
    } catch (err) {
      expect(err).toMatchObject({ code: 422, reason: 'Invalid' });
      expect((err as Error).message).toContain(field);
      return;
    }
    throw new Error(`expected ${field} to be invalid`);
  };
  const rollout = (steps: unknown[]) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'r' },
    spec: {
      selector: { matchLabels: { app: 'r' } },
      template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
      strategy: { canary: { steps } },
    },
  });

  it('accepts good objects', () => {
    validateObject(
      resource('rollouts'),
      rollout([{ setWeight: 20 }, { pause: { duration: '30s' } }]) as KubeObject,
    );
    validateObject(resource('configmaps'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    });
  });

  it('names the bad field', () => {
    expectInvalid('rollouts', rollout([{ setWeight: 150 }]), 'spec.strategy.canary.steps[0].setWeight');
    expectInvalid('rollouts', rollout([{ setWieght: 10 }]), 'spec.strategy.canary.steps[0].setWieght');
    expectInvalid(
      'rollouts',
      rollout([{ pause: { duration: 'soon' } }]),
      'spec.strategy.canary.steps[0].pause.duration',
    );
    expectInvalid(
      'rollouts',
      { ...rollout([]), spec: { ...rollout([]).spec, strategy: {} } },
      'spec.strategy',
    );
    expectInvalid(
      'pods',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] } },
      'spec.containers[0].image',
    );
    expectInvalid(
      'services',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} },
      'spec.ports',
    );
    expectInvalid(
      'replicasets',
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'r' },
        spec: { selector: { matchLabels: { a: 'b' } } },
      },
      'spec.template',
    );
    const vs = (weights: number[]) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'v' },
      spec: {
        hosts: ['h'],
        http: [{ route: weights.map((weight, i) => ({ destination: { host: `h${i}` }, weight })) }],
      },
    });
    expectInvalid('virtualservices', vs([120]), 'spec.http[0].route[0].weight');
    expectInvalid('virtualservices', vs([70, 20]), 'spec.http[0].route');
    expectInvalid('virtualservices', { ...vs([100]), spec: { http: [] } }, 'spec.hosts');
    expectInvalid(
      'configmaps',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'not ok' } } },
      'metadata.labels',
    );
  });
});
