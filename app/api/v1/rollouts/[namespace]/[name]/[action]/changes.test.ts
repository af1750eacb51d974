import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  healthy,
  inProgress,
  readRollout,
  seedDemo,
  setRollout,
  template,
} from '@/server/kube/testing/demo-seed';
import { create, type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { post } from './post-helper.test-support';

let k: LabKube;
beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  seedDemo(k.lab);
});
afterAll(async () => {
  await k?.close();
});

const faultsJson = () =>
  JSON.parse(
    ((k.lab.store.get(R.cm, 'demo', 'webapp-faults')?.data ?? {}) as Record<string, string>)['faults.json'] ??
      '',
  );
const primaryRoute = () =>
  (k.lab.store.get(R.vs, 'demo', 'webapp-vs')?.spec as { http: Array<Record<string, unknown>> } | undefined)
    ?.http[1];

function replicaSet(hash: string, tag: string, revision: number) {
  const labels = { app: 'webapp', 'rollouts-pod-template-hash': hash };
  const t = template(tag);
  create(k.lab, 'replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `webapp-${hash}`,
      namespace: 'demo',
      labels,
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid: 'x', controller: true },
      ],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { ...t, metadata: { labels: { ...t.metadata.labels, 'rollouts-pod-template-hash': hash } } },
    },
  });
}

describe('launch (set image)', () => {
  it('PUTs the rollout with the container image replaced; the same image again is 409', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    const r = await post('launch', { image: 'registry.example.com:5000/team/webapp:v1.1' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      target: 'main',
      patches: [{ method: 'PUT' }],
      patch: {
        spec: {
          template: {
            spec: { containers: [{ name: 'webapp', image: 'registry.example.com:5000/team/webapp:v1.1' }] },
          },
        },
      },
    });
    const ro = readRollout(k.lab) as {
      spec: { template: { spec: { containers: Array<{ image: string; ports: unknown }> } } };
    };
    expect(ro.spec.template.spec.containers[0]).toMatchObject({
      image: 'registry.example.com:5000/team/webapp:v1.1',
      ports: [{ containerPort: 8080 }],
    });
    const again = await post('launch', { image: 'registry.example.com:5000/team/webapp:v1.1' });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/already the rollout's image/);
  });

  it('rejects an image that is not a reference with 422 naming the field', async () => {
    const r = await post('launch', { image: 'Web App:latest' });
    expect(r.status).toBe(422);
    expect(r.json.error.details).toEqual([{ field: 'image', message: expect.any(String) }]);
  });
});

describe('undo', () => {
  it('replaces spec.template with the revision’s template without the hash label; current revision is 409', async () => {
    setRollout(k.lab, 'v1.1', { ...healthy, stableRS: 'h2', currentPodHash: 'h2' });
    replicaSet('h1', 'v1.0', 1);
    replicaSet('h2', 'v1.1', 2);
    const r = await post('undo', { revision: 1 });
    expect(r.status).toBe(200);
    expect(r.json.target).toBe('main');
    expect(r.json.patch).toEqual([{ op: 'replace', path: '/spec/template', value: template('v1.0') }]);
    expect(readRollout(k.lab).spec.template).toEqual(template('v1.0'));
    expect(readRollout(k.lab).spec.template.metadata?.labels).not.toHaveProperty(
      'rollouts-pod-template-hash',
    );
    const cur = await post('undo', { revision: 2 });
    expect(cur.status).toBe(409);
    expect(cur.json.error.message).toMatch(/current revision/);
    const missing = await post('undo', { revision: 9 });
    expect(missing.status).toBe(404);
    expect((await post('undo', { revision: 0 })).json.error.details[0].field).toBe('revision');
  });
});

describe('faults', () => {
  it('canary: merges the canary version into webapp-faults/faults.json, clear removes it', async () => {
    setRollout(k.lab, 'v1.1', { ...inProgress, currentStepIndex: 1 });
    const r = await post('faults', { scope: 'canary', errorRate: 0.2, latencyMs: 0 });
    expect(r.status).toBe(200);
    expect(r.json.target).toBe('configmap/webapp-faults');
    expect(faultsJson()).toEqual({
      'v0.9': { errorRate: 0.5, latencyMs: 0 },
      'v1.1': { errorRate: 0.2, latencyMs: 0 },
    });
    await post('faults', { scope: 'canary', clear: true });
    expect(faultsJson()).toEqual({ 'v0.9': { errorRate: 0.5, latencyMs: 0 } });
  });

  it('canary faults with no canary running are 409', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    expect((await post('faults', { scope: 'canary', errorRate: 0.1 })).status).toBe(409);
  });

  it('mesh: Istio fault on the route named by the rollout (JSON patch), clear removes it', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    const r = await post('faults', { scope: 'mesh', errorRate: 0.25, latencyMs: 150 });
    expect(r.status).toBe(200);
    const fault = {
      abort: { percentage: { value: 25 }, httpStatus: 503 },
      delay: { percentage: { value: 100 }, fixedDelay: '0.15s' },
    };
    expect(r.json.patch).toEqual([
      { op: 'test', path: '/spec/http/1/name', value: 'primary' },
      { op: 'add', path: '/spec/http/1/fault', value: fault },
    ]);
    expect(primaryRoute()?.fault).toEqual(fault);
    const c = await post('faults', { scope: 'mesh', clear: true });
    expect(c.json.patch[1]).toEqual({ op: 'remove', path: '/spec/http/1/fault' });
    expect(primaryRoute()).not.toHaveProperty('fault');
  });

  it('422 names each bad field', async () => {
    const r = await post('faults', { scope: 'cluster', errorRate: 2, latencyMs: -1, extra: 1 });
    expect(r.status).toBe(422);
    const fields = (r.json.error.details as Array<{ field: string }>).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['scope', 'errorRate', 'latencyMs']));
  });
});

describe('load', () => {
  it('creates a loadgen Job, refuses a second run, stops it by deleting the Job', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    const r = await post('load', { rps: 20, durationSeconds: 60, target: 'gateway' });
    expect(r.status).toBe(200);
    const name = r.json.result.metadata.name as string;
    expect(r.json.target).toBe(`job/${name}`);
    const job = k.lab.store.get(R.job, 'demo', name) as {
      metadata: { labels: Record<string, string> };
      spec: { template: { spec: { containers: unknown[] } } };
    };
    expect(job.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'control-center',
      rollout: 'webapp',
    });
    expect(job.spec.template.spec.containers[0]).toMatchObject({
      image: 'loadgen',
      args: [
        'http://127.0.0.1:8081/api/work',
        '--rps',
        '20',
        '--duration',
        '60s',
        '--json',
        '-H',
        'Host: webapp.local',
      ],
    });
    expect((await post('load', { rps: 5, durationSeconds: 5 })).status).toBe(409);
    const stop = await post('load', { stop: true });
    expect(stop.status).toBe(200);
    expect(k.lab.store.get(R.job, 'demo', name)).toBeUndefined();
    expect((await post('load', { stop: true })).status).toBe(409);
    const bad = await post('load', { durationSeconds: 5000 });
    expect(bad.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'durationSeconds',
      'rps',
    ]);
  });
});

describe('the route itself', () => {
  it('404 for an unknown action and for a missing rollout', async () => {
    const u = await post('explode');
    expect(u.status).toBe(404);
    expect(u.json.error.code).toBe('not_found');
    const m = await post('promote', undefined, 'demo', 'nope');
    expect(m.status).toBe(404);
    expect(m.json.error.message).toMatch(/demo\/nope not found/);
  });

  it('422 for bad path parameters and unexpected body fields, 400 for bad JSON, 413 beyond 64 KiB', async () => {
    // An admin may act in every namespace, so the bad name reaches validation (an operator of demo gets 403).
    const p = await post('promote', undefined, 'Demo_NS', 'webapp', 'admin');
    expect(p.status).toBe(422);
    expect(p.json.error.details[0].field).toBe('namespace');
    expect((await post('abort', { force: true })).status).toBe(422);
    expect((await post('abort', '{not json')).status).toBe(400);
    const big = await post('launch', { image: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('payload_too_large');
  });
});
