import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditDb, setAuditDb } from '@/server/audit/audit-db';
import { requestAs } from '@/server/auth/testing/session';
import type { InformerRegistry } from '@/server/kube/registry';
import { rolloutObject, seedDemo } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { GET } from './route';

let k: LabKube;
let reg: InformerRegistry;
let rt: TestRuntime;

beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  delete process.env.PROMETHEUS_URL;
  delete process.env.METRICS_WINDOW_URL;
  seedDemo(k.lab);
  const strategy = { canary: { canaryService: 'webapp-canary', stableService: 'webapp-stable', steps: [] } };
  create(k.lab, 'rollouts', rolloutObject('v1.0', { strategy }));
  rt = startTestRuntime({ kc: k.kc });
  setAuditDb(openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'traffic-route-')), 'cc.db')));
  reg = rt.context().informers;
  await reg.waitForSync(10_000);
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

const get = async (name: string, q = '') => {
  const res = await GET(
    await requestAs('viewer', `http://cc.test/api/v1/rollouts/demo/${name}/traffic${q}`),
    {
      params: Promise.resolve({ namespace: 'demo', name }),
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
  return { status: res.status, json: (await res.json()) as any };
};

describe('GET /api/v1/rollouts/{ns}/{name}/traffic', () => {
  it('answers both versions and says there is no metrics source, instead of failing', async () => {
    const { status, json } = await get('webapp', '?minutes=30');
    expect(status).toBe(200);
    expect(json.versions.map((v: { role: string; service: string }) => [v.role, v.service])).toEqual([
      ['stable', 'webapp-stable'],
      ['canary', 'webapp-canary'],
    ]);
    expect(json.window.until - json.window.since).toBe(1800);
    expect(json.metrics).toBe('none');
    expect(json.issues).toEqual(['no metrics source is configured (PROMETHEUS_URL)']);
    expect(json.observed).toBeNull();
    expect(json.thresholds).toEqual({ errorRate: 0.01, p95Ms: 300 });
  });

  it('answers 404 for a rollout that does not exist', async () => {
    const { status, json } = await get('nope');
    expect(status).toBe(404);
    expect(json.error.code).toBe('not_found');
  });

  it.each([
    ['?minutes=0', 'minutes'],
    ['?minutes=181', 'minutes'],
    ['?minutes=abc', 'minutes'],
    ['?step=5', 'step'],
  ])('refuses %s with 422 naming the field', async (q, field) => {
    const { status, json } = await get('webapp', q);
    expect(status).toBe(422);
    expect(JSON.stringify(json.error)).toContain(field);
  });
});
