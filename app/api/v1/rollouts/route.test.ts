import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestAs } from '@/server/auth/testing/session';
import { rolloutObject, seedDemo } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { POST } from './[namespace]/[name]/[action]/route';
import { GET as getOne } from './[namespace]/[name]/route';
import { GET as getList } from './route';

let k: LabKube;
let rt: TestRuntime;
const strategy = {
  canary: {
    canaryService: 'webapp-canary',
    stableService: 'webapp-stable',
    trafficRouting: { istio: { virtualService: { name: 'webapp-vs', routes: ['primary'] } } },
    steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }],
  },
};

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
  create(k.lab, 'rollouts', rolloutObject('v1.0', { strategy }));
  rt = startTestRuntime({ kc: k.kc });
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
type Json = any;
const list = async (q = '') =>
  (await getList(await requestAs('viewer', `http://cc.test/api/v1/rollouts${q}`))).json() as Promise<Json>;
async function view(name = 'webapp', q = '') {
  const res = await getOne(await requestAs('viewer', `http://cc.test/api/v1/rollouts/demo/${name}${q}`), {
    params: Promise.resolve({ namespace: 'demo', name }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
const act = async (action: string, body?: unknown) =>
  POST(
    await requestAs('operator', `http://cc.test/api/v1/rollouts/demo/webapp/${action}`, {
      method: 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ namespace: 'demo', name: 'webapp', action }) },
  );
/** Polls the view (read from the informer cache) until `f` accepts it. */
async function until(what: string, f: (v: Json) => boolean): Promise<Json> {
  const end = Date.now() + 30_000;
  for (;;) {
    const last = (await view()).json;
    if (f(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /api/v1/rollouts and /rollouts/{ns}/{name} from the informer cache (lab controller running)', () => {
  it('lists summaries and shows a healthy rollout', async () => {
    const healthy = await until('healthy', (v) => v.phase === 'Healthy');
    expect(healthy).toMatchObject({
      stableImage: 'webapp:v1.0',
      canaryImage: null,
      step: { index: 3, total: 3 },
    });
    const l = await list('?namespace=demo');
    expect(l.items).toHaveLength(1);
    expect(l.items[0]).toMatchObject({ namespace: 'demo', name: 'webapp', phase: 'Healthy' });
    expect(l.connectivity).toEqual({ connected: true, lastError: null });
    expect((await list('?namespace=elsewhere')).items).toEqual([]);
  });

  it('follows a canary launched through the action route to its pause, then promote to Healthy', async () => {
    expect((await act('launch', { image: 'webapp:v1.1' })).status).toBe(200);
    const paused = await until('paused', (v) => v.phase === 'Paused' && v.actualWeight === 10);
    expect(paused).toMatchObject({
      stableImage: 'webapp:v1.0',
      canaryImage: 'webapp:v1.1',
      revision: 2,
      setWeight: 10,
      pause: { reason: 'CanaryPauseStep' },
      needsAttention: true,
      allowedActions: { promote: { ok: true }, abort: { ok: true } },
    });
    expect(paused.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'current', 'pending']);
    expect(paused.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect((await act('promote')).status).toBe(200);
    const done = await until('promoted', (v) => v.phase === 'Healthy' && v.stableImage === 'webapp:v1.1');
    expect(done.allowedActions.undo.ok).toBe(true);
  });

  it('adds the raw objects with ?raw=1, 404 for a missing rollout, 422 for bad names and queries', async () => {
    const { json } = await view('webapp', '?raw=1');
    expect(json.raw.rollout.kind).toBe('Rollout');
    expect(json.raw.replicaSets.length).toBe(2);
    expect(json.raw.virtualService.metadata.name).toBe('webapp-vs');
    expect((await view()).json.raw).toBeUndefined();
    const missing = await view('nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    expect((await view('Bad_Name')).status).toBe(422);
    expect((await view('webapp', '?raw=yes')).status).toBe(422);
    const badNs = await getList(await requestAs('viewer', 'http://cc.test/api/v1/rollouts?namespace=Nope!'));
    expect(badNs.status).toBe(422);
  });
});
