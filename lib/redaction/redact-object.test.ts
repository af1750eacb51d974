import { describe, expect, it } from 'vitest';
import { forRole, LAST_APPLIED, redactObject } from './redact-object';

const SECRET = 's3cr3t-db-password-7f1c';
const env = [
  { name: 'DB_PASSWORD', value: SECRET },
  { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: SECRET, key: 'token' } } },
];
const containers = [
  { name: 'webapp', image: 'webapp:v1.1', env, envFrom: [{ secretRef: { name: SECRET } }] },
];
const meta = (name: string, kind = 'x') => ({
  name,
  namespace: 'demo',
  labels: { app: 'webapp' },
  annotations: { [LAST_APPLIED]: JSON.stringify({ kind, env }), 'rollout.argoproj.io/revision': '2' },
  managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { value: SECRET } } }],
});
const template = {
  metadata: { labels: { app: 'webapp' } },
  spec: { containers, initContainers: containers },
};

/** Each object, and the paths (dot-separated) whose values a non-admin must still see. */
const CASES: Array<[string, Record<string, unknown>, string[]]> = [
  [
    'Pod',
    { kind: 'Pod', metadata: meta('webapp-abc'), spec: { containers }, status: { phase: 'Running' } },
    ['spec.containers.0.image', 'status.phase'],
  ],
  [
    'Rollout',
    {
      kind: 'Rollout',
      metadata: meta('webapp'),
      spec: { replicas: 2, template, strategy: { canary: { steps: [{ setWeight: 20 }] } } },
    },
    [
      'spec.template.spec.containers.0.image',
      'spec.strategy.canary.steps.0.setWeight',
      'metadata.annotations.rollout\\.argoproj\\.io/revision',
    ],
  ],
  [
    'ReplicaSet (no kind in a list item)',
    { metadata: meta('webapp-6d4'), spec: { replicas: 1, template } },
    ['spec.template.spec.containers.0.image'],
  ],
  [
    'Job',
    { kind: 'Job', metadata: meta('load-1'), spec: { template: { spec: { containers } } } },
    ['spec.template.spec.containers.0.image'],
  ],
  [
    'CronJob',
    {
      kind: 'CronJob',
      metadata: meta('c'),
      spec: { jobTemplate: { spec: { template: { spec: { containers } } } } },
    },
    ['spec.jobTemplate.spec.template.spec.containers.0.image'],
  ],
  [
    'Experiment',
    { kind: 'Experiment', metadata: meta('e'), spec: { templates: [{ name: 'baseline', template }] } },
    ['spec.templates.0.template.spec.containers.0.image'],
  ],
  [
    'ConfigMap webapp-faults',
    {
      kind: 'ConfigMap',
      metadata: meta('webapp-faults'),
      data: { 'faults.json': '{"v1.1":{"errorRate":0.2}}', other: SECRET },
      binaryData: { b: SECRET },
    },
    ['data.faults\\.json'],
  ],
  [
    'another ConfigMap',
    { kind: 'ConfigMap', metadata: meta('settings'), data: { 'db.url': `postgres://u:${SECRET}@db` } },
    [],
  ],
  [
    'Secret named like the faults map',
    {
      kind: 'Secret',
      metadata: meta('webapp-faults'),
      data: { 'faults.json': SECRET },
      stringData: { a: SECRET },
    },
    [],
  ],
  [
    'AnalysisRun',
    {
      kind: 'AnalysisRun',
      metadata: meta('webapp-2-1'),
      spec: {
        args: [
          { name: 'token', value: SECRET },
          { name: 'key', valueFrom: { secretKeyRef: { name: 's', key: SECRET } } },
        ],
        metrics: [
          {
            name: 'judge',
            provider: {
              web: {
                url: 'http://cc/api/v1/judge',
                headers: [{ key: 'Authorization', value: `Bearer ${SECRET}` }],
              },
            },
          },
        ],
      },
      status: { phase: 'Running' },
    },
    ['spec.metrics.0.provider.web.url', 'status.phase'],
  ],
];

const at = (o: unknown, p: string): unknown =>
  p
    .split(/(?<!\\)\./)
    .map((k) => k.replaceAll('\\.', '.'))
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('redactObject: no secret-bearing value reaches a non-admin', () => {
  it.each(CASES)('%s', (_, raw, kept) => {
    const before = JSON.stringify(raw);
    const out = redactObject(raw);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(JSON.stringify(out)).not.toContain('managedFields');
    expect(JSON.stringify(out)).not.toContain(LAST_APPLIED);
    expect(JSON.stringify(raw)).toBe(before); // the cache's object is untouched
    for (const p of kept) expect(at(out, p), p).toEqual(at(raw, p));
    expect(forRole(raw, 'admin')).toBe(raw);
    expect(JSON.stringify(forRole(raw, 'operator'))).not.toContain(SECRET);
    expect(JSON.stringify(forRole(raw, 'viewer'))).not.toContain(SECRET);
  });

  it('keeps the env names (the pages may list them) and drops envFrom', () => {
    const out = redactObject(CASES[0]?.[1]) as { spec: { containers: Array<Record<string, unknown>> } };
    expect(out.spec.containers[0]?.env).toEqual([{ name: 'DB_PASSWORD' }, { name: 'API_TOKEN' }]);
    expect(out.spec.containers[0]).not.toHaveProperty('envFrom');
  });

  it('keeps only the readable keys of the faults map, and nothing of a Secret', () => {
    expect((redactObject(CASES[6]?.[1]) as { data: unknown }).data).toEqual({
      'faults.json': '{"v1.1":{"errorRate":0.2}}',
    });
    expect((redactObject(CASES[8]?.[1]) as { data: unknown }).data).toEqual({});
  });

  it('passes anything that is not an object as it is', () => {
    expect(redactObject(null)).toBeNull();
    expect(redactObject('x')).toBe('x');
    expect(redactObject([1])).toEqual([1]);
  });
});
