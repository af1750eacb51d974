import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditDb, setAuditDb } from '@/server/audit/audit-db';
import { TimelineStore } from '@/server/audit/timeline-store';
import { requestAs } from '@/server/auth/testing/session';
import type { InformerRegistry } from '@/server/kube/registry';
import { rolloutObject, seedDemo } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { SqliteStore } from '@/server/store/sqlite/sqlite-store';
import { SINGLE_SCOPE } from '@/server/store/types';
import { POST } from '../[action]/route';
import { GET } from './route';

let k: LabKube;
let reg: InformerRegistry;
let rt: TestRuntime;
const dbFile = path.join(mkdtempSync(path.join(tmpdir(), 'timeline-')), 'cc.db');

beforeAll(async () => {
  k = await startLabKube({ workloads: true, controller: { resyncMs: 500, debounceMs: 5 } });
  process.env.KUBECONFIG = k.lab.kubeconfig;
  seedDemo(k.lab);
  for (const name of ['webapp-stable', 'webapp-canary'])
    create(k.lab, 'services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'demo' },
      spec: { selector: { app: 'webapp' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
  // The lab's kubelet: webapp pods, Ready when their /readyz answers, as the controller expects of a cluster.
  const strategy = {
    canary: {
      canaryService: 'webapp-canary',
      stableService: 'webapp-stable',
      trafficRouting: { istio: { virtualService: { name: 'webapp-vs', routes: ['primary'] } } },
      steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }],
    },
  };
  create(k.lab, 'rollouts', rolloutObject('v1.0', { strategy }));
  // As the server runs: the context's informers feed the recorder, which writes the timeline to the store.
  rt = startTestRuntime({ kc: k.kc, recordTimeline: true });
  setAuditDb(openAuditDb(dbFile));
  reg = rt.context().informers;
  await reg.waitForSync(10_000);
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
type Json = any;
const timeline = async (q = ''): Promise<{ status: number; json: Json }> => {
  const res = await GET(
    await requestAs('viewer', `http://cc.test/api/v1/rollouts/demo/webapp/timeline${q}`),
    {
      params: Promise.resolve({ namespace: 'demo', name: 'webapp' }),
    },
  );
  return { status: res.status, json: await res.json() };
};
const act = async (action: string, body?: unknown) =>
  POST(
    await requestAs('operator', `http://cc.test/api/v1/rollouts/demo/webapp/${action}`, {
      method: 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ namespace: 'demo', name: 'webapp', action }) },
  );
async function until(what: string, f: (items: Json[]) => boolean): Promise<Json[]> {
  const end = Date.now() + 30_000;
  for (;;) {
    const items = (await timeline()).json.items as Json[];
    if (f(items)) return items;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(items.slice(0, 5))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /api/v1/rollouts/{ns}/{name}/timeline', () => {
  it('merges user actions (with the exact patch), steps, weights and Events, newest first, and keeps them', async () => {
    expect((await act('launch', { image: 'webapp:v1.1' })).status).toBe(200);
    const paused = await until('the pause step', (items) =>
      items.some((i) => i.summary === 'step 2/3 pause (until promoted)'),
    );
    const launch = paused.find((i) => i.kind === 'action');
    expect(launch.summary).toMatch(/^operator launched webapp \(main: /);
    expect(launch.details).toMatchObject({ actor: 'operator', role: 'operator' });
    expect(launch.details.request).toEqual({ image: 'webapp:v1.1' });
    expect(paused.some((i) => i.kind === 'weight' && i.summary === 'canary weight 0 % → 10 %')).toBe(true);
    expect(paused.some((i) => i.kind === 'event' && i.summary.startsWith('RolloutUpdated:'))).toBe(true);

    expect((await act('promote')).status).toBe(200);
    const done = await until('completion', (items) =>
      items.some((i) => i.summary.startsWith('RolloutCompleted')),
    );
    const promote = done.find((i) => i.kind === 'action' && i.details.action === 'promote');
    expect(promote.details.patch[0]).toMatchObject({
      target: '/status',
      type: 'merge',
      patch: { status: { pauseConditions: null } },
    });
    const times = done.map((i) => i.at);
    expect(times).toEqual([...times].sort().reverse());

    // A refused action is recorded too, with its reason.
    expect((await act('retry')).status).toBe(409);
    await until('the refusal', (items) => items.some((i) => /tried to retry: refused \(409/.test(i.summary)));

    // Everything is in SQLite: a new store on the same file (a restarted dashboard) reads the same history.
    const again = await new TimelineStore(SINGLE_SCOPE, SqliteStore.fromDb(openAuditDb(dbFile))).list(
      'demo',
      'webapp',
    );
    expect(again.length).toBeGreaterThanOrEqual(done.length);
  });

  it('answers 422 naming the bad parameter', async () => {
    const res = await timeline('?limit=0');
    expect(res.status).toBe(422);
    expect(res.json.error.message).toContain('limit');
  });
});
