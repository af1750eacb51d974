import { beforeAll, describe, expect, it } from 'vitest';
import { resource } from '../store/resources';
import type { StatusError } from '../store/status-error';
import type { KubeObject } from '../store/types';
import { loadValidators, validateObject } from './validate-object';

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

type PodSpec = { volumes?: unknown[]; containers: Array<Record<string, unknown>> };
const podSpec = (volumes: unknown[], mounts: unknown[]): PodSpec => ({
  volumes,
  containers: [{ name: 'app', image: 'webapp:v1.0', volumeMounts: mounts }],
});

const rollout = (spec: PodSpec): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'r', namespace: 'demo' },
  spec: {
    selector: { matchLabels: { app: 'r' } },
    template: { metadata: { labels: { app: 'r' } }, spec },
    strategy: { canary: { steps: [{ setWeight: 20 }] } },
  },
});
const pod = (spec: PodSpec): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'demo' },
  spec,
});

/** The causes (field: message) of the 422, or [] when the object is valid. */
function causes(plural: string, obj: KubeObject): string[] {
  try {
    validateObject(resource(plural), obj);
    return [];
  } catch (err) {
    const e = err as StatusError;
    expect(e.code).toBe(422);
    expect(e.reason).toBe('Invalid');
    return (e.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
}

describe('volume validation as the API server does it', () => {
  beforeAll(() => loadValidators());

  it('accepts DNS-1123 volume names, mounts of them and descending subPaths', () => {
    const spec = podSpec(
      [{ name: 'faults', configMap: { name: 'webapp-faults', items: [{ key: 'a', path: 'dir/a.json' }] } }],
      [{ name: 'faults', mountPath: '/etc/faults', subPath: 'dir' }],
    );
    expect(causes('rollouts', rollout(spec))).toEqual([]);
    expect(causes('pods', pod(spec))).toEqual([]);
  });

  it.each([
    [
      'a volume name that walks out of the folder',
      podSpec([{ name: '../../escape', emptyDir: {} }], [{ name: '../../escape', mountPath: '/data' }]),
      [
        `spec.template.spec.volumes[0].name: Invalid value: "../../escape": ${LABEL_MSG}`,
        'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "../../escape"',
      ],
    ],
    [
      'a name with dots',
      podSpec([{ name: 'a.b', emptyDir: {} }], []),
      ['spec.template.spec.volumes[0].name: Invalid value: "a.b": must not contain dots'],
    ],
    [
      'a name too long',
      podSpec([{ name: 'a'.repeat(64), emptyDir: {} }], []),
      [
        `spec.template.spec.volumes[0].name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
      ],
    ],
    [
      'a duplicate name',
      podSpec(
        [
          { name: 'data', emptyDir: {} },
          { name: 'data', emptyDir: {} },
        ],
        [],
      ),
      ['spec.template.spec.volumes[1].name: Duplicate value: "data"'],
    ],
    [
      'a mount of an unknown volume',
      podSpec([], [{ name: 'nope', mountPath: '/x' }]),
      ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "nope"'],
    ],
    [
      'an absolute subPath with ..',
      podSpec([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/x', subPath: '/../etc' }]),
      [
        'spec.template.spec.containers[0].volumeMounts.subPath: Invalid value: "/../etc": must be a relative path',
        'spec.template.spec.containers[0].volumeMounts.subPath: Invalid value: "/../etc": must not contain \'..\'',
      ],
    ],
    [
      'a configMap item path stepping out',
      podSpec([{ name: 'c', configMap: { name: 'cm', items: [{ key: 'k', path: '../k' }] } }], []),
      [
        'spec.template.spec.volumes[0].configMap.items[0].path: Invalid value: "../k": must not contain \'..\'',
        'spec.template.spec.volumes[0].configMap.items[0].path: Invalid value: "../k": must not start with \'..\'',
      ],
    ],
    [
      'the same mountPath twice',
      podSpec(
        [{ name: 'data', emptyDir: {} }],
        [
          { name: 'data', mountPath: '/x' },
          { name: 'data', mountPath: '/x' },
        ],
      ),
      ['spec.template.spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/x": must be unique'],
    ],
  ])('refuses %s (422 naming the field)', (_what, spec, want) => {
    expect(causes('rollouts', rollout(spec)).filter((c) => !c.includes('selector'))).toEqual(want);
  });

  it('refuses an env name with = (it would set another variable in the process)', () => {
    const spec: PodSpec = {
      containers: [{ name: 'app', image: 'webapp:v1.0', env: [{ name: 'A=B', value: 'x' }, { value: 'y' }] }],
    };
    expect(causes('pods', pod(spec)).sort()).toEqual([
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      'spec.containers[0].env[1].name: Required value',
    ]);
  });

  it('says it for a Pod too, with its own field path', () => {
    const spec = podSpec([{ name: '../../escape', emptyDir: {} }], []);
    expect(causes('pods', pod(spec))).toEqual([
      `spec.volumes[0].name: Invalid value: "../../escape": ${LABEL_MSG}`,
    ]);
  });
});
