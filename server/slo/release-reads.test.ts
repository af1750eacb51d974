import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutObject } from '@/lib/rollout/rollout-schema';
import { createInformerRegistry, type InformerRegistry } from '@/server/kube/registry';
import { create, type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { cacheCoversRollout, readRelease, referencedRuns } from './release-reads';
import { canaryTargetOf, readRollout } from './rollout-target';

const HASH = 'h2';
const run = (name: string, phase?: string) => ({
  metadata: { name, labels: { 'rollouts-pod-template-hash': HASH } },
  ...(phase ? { status: { phase } } : {}),
});
const rolloutWith = (canary: Record<string, unknown>): RolloutObject =>
  ({
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {},
    status: { canary },
  }) as unknown as RolloutObject;

describe('cacheCoversRollout: the cache may answer only for runs the live Rollout refers to as it sees them', () => {
  it('covers a Rollout that names no run', () => {
    expect(cacheCoversRollout(rolloutWith({}), [])).toBe(true);
  });
  it('needs the named step run, in the phase the Rollout recorded', () => {
    const ro = rolloutWith({ currentStepAnalysisRunStatus: { name: 'webapp-h2-2-3', status: 'Running' } });
    expect(referencedRuns(ro)).toEqual([{ name: 'webapp-h2-2-3', phase: 'Running' }]);
    expect(cacheCoversRollout(ro, [run('webapp-h2-2-1', 'Successful')])).toBe(false);
    expect(cacheCoversRollout(ro, [run('webapp-h2-2-3', 'Running')])).toBe(true);
    // the Rollout saw the run fail; a cache still holding it Running is stale
    const failed = rolloutWith({ currentStepAnalysisRunStatus: { name: 'webapp-h2-2-3', status: 'Failed' } });
    expect(cacheCoversRollout(failed, [run('webapp-h2-2-3', 'Running')])).toBe(false);
    expect(cacheCoversRollout(failed, [run('webapp-h2-2-3', 'Successful')])).toBe(false);
    expect(cacheCoversRollout(failed, [run('webapp-h2-2-3', 'Failed')])).toBe(true);
    // the run finished after the Rollout last looked: the cache is newer, and the API server would say the same
    expect(cacheCoversRollout(ro, [run('webapp-h2-2-3', 'Successful')])).toBe(true);
    expect(cacheCoversRollout(ro, [run('webapp-h2-2-3')])).toBe(false);
  });
  it('needs the background run too; a run the Rollout named before it had a phase matches any phase', () => {
    const ro = rolloutWith({
      currentStepAnalysisRunStatus: { name: 'webapp-h2-2-1', status: '' },
      currentBackgroundAnalysisRunStatus: { name: 'webapp-h2-2', status: 'Running' },
    });
    expect(cacheCoversRollout(ro, [run('webapp-h2-2-1', 'Running')])).toBe(false);
    expect(cacheCoversRollout(ro, [run('webapp-h2-2-1', 'Running'), run('webapp-h2-2', 'Running')])).toBe(
      true,
    );
  });
});

const TEMPLATE = {
  metadata: { labels: { app: 'webapp' } },
  spec: { containers: [{ name: 'webapp', image: 'webapp:v1.1' }] },
};

let k: LabKube;
let reg: InformerRegistry;
/** The runtimes in use, innermost last: `use(reg)` watches through `reg`, `use()` watches nothing. */
const runtimes: TestRuntime[] = [];
function use(informers?: InformerRegistry): void {
  // The registry is shared between runtimes: only afterAll stops it.
  const rt = startTestRuntime({
    kc: k.kc,
    ...(informers ? { informers: () => ({ ...informers, stop: async () => undefined }) } : {}),
  });
  if (informers) rt.context().start();
  runtimes.push(rt);
}
const unuse = () => runtimes.pop()?.done();
let uid = '';

const stepRun = (name: string, stepIndex: number) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: {
    name,
    namespace: 'demo',
    labels: { 'rollouts-pod-template-hash': HASH, 'rollout-type': 'Step', 'step-index': String(stepIndex) },
    annotations: { 'rollout.argoproj.io/revision': '2' },
    ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid }],
  },
  spec: { metrics: [{ name: 'slo-judge', provider: { web: { url: 'http://judge' } } }] },
});

function setStatus(status: Record<string, unknown>): void {
  k.lab.store.mutate(R.ro, 'demo', 'webapp', (o) => ({ ...o, status }), { subresource: 'status' });
}

beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  create(k.lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  const ro = create(k.lab, 'rollouts', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'webapp' } },
      template: TEMPLATE,
      strategy: {
        canary: {
          canaryService: 'webapp-canary',
          stableService: 'webapp-stable',
          steps: [
            { setWeight: 10 },
            { analysis: { templates: [{ templateName: 'judge' }] } },
            { setWeight: 30 },
            { analysis: { templates: [{ templateName: 'judge' }] } },
          ],
        },
      },
    },
  });
  uid = ro.metadata.uid ?? '';
  create(k.lab, 'replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `webapp-${HASH}`,
      namespace: 'demo',
      annotations: { 'rollout.argoproj.io/revision': '2' },
      labels: { app: 'webapp', 'rollouts-pod-template-hash': HASH },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: 'webapp' } }, template: TEMPLATE },
  });
  create(k.lab, 'analysisruns', stepRun('webapp-h2-2-1', 1));
  setStatus({
    currentPodHash: HASH,
    stableRS: 'h1',
    currentStepIndex: 1,
    canary: {
      weights: { canary: { weight: 10 }, stable: { weight: 90 } },
      currentStepAnalysisRunStatus: { name: 'webapp-h2-2-1', status: '' },
    },
  });
});
afterAll(async () => {
  while (runtimes.length > 0) await unuse();
  await reg?.stop();
  await k?.close();
});

describe('readRelease over the lab API (real watches, real client-node)', () => {
  it('lists from the API server while no informer runs for the context', async () => {
    const r = await readRelease(await readRollout('demo', 'webapp'), HASH);
    expect(r.source).toBe('api');
    expect(r.runs.map((o) => (o as { metadata: { name: string } }).metadata.name)).toEqual(['webapp-h2-2-1']);
  });

  it('answers from the synced cache, with the same attribution as the API server gives', async () => {
    reg = createInformerRegistry(k.kc, { backoffMs: 100 });
    use(reg);
    expect(await reg.waitForSync(10_000)).toBe(true);
    const ro = await readRollout('demo', 'webapp');
    const fromCache = await canaryTargetOf(ro);
    expect(fromCache.reads).toBe('cache');
    use();
    const fromApi = await canaryTargetOf(ro);
    await unuse();
    expect(fromApi.reads).toBe('api');
    expect({ ...fromCache, reads: 'x' }).toEqual({ ...fromApi, reads: 'x' });
  });

  it('goes to the API server when the live Rollout names a run the cache has not seen', async () => {
    // A watch that lags behind the API server cannot be produced on demand, so the cache is made to lag: the real,
    // synced registry, with the new run held back from its lists as a late watch event would.
    const lagging: InformerRegistry = {
      ...reg,
      list: (kind, ns) => reg.list(kind, ns).filter((o) => o.metadata?.name !== 'webapp-h2-2-3'),
    };
    use(lagging);
    create(k.lab, 'analysisruns', stepRun('webapp-h2-2-3', 3));
    k.lab.store.mutate(R.ar, 'demo', 'webapp-h2-2-3', (o) => ({ ...o, status: { phase: 'Running' } }), {
      subresource: 'status',
    });
    setStatus({
      currentPodHash: HASH,
      stableRS: 'h1',
      currentStepIndex: 3,
      canary: {
        weights: { canary: { weight: 30 }, stable: { weight: 70 } },
        currentStepAnalysisRunStatus: { name: 'webapp-h2-2-3', status: 'Running' },
      },
    });
    const ro = await readRollout('demo', 'webapp');
    const r = await readRelease(ro, HASH);
    expect(r.source).toBe('api');
    expect(r.runs.map((o) => (o as { metadata: { name: string } }).metadata.name).sort()).toEqual([
      'webapp-h2-2-1',
      'webapp-h2-2-3',
    ]);
    const t = await canaryTargetOf(ro);
    expect(t.reads).toBe('api');
    expect(t.attempt.stepStarts).toHaveLength(2);
    // once the watch delivers it, the cache answers again
    await unuse();
    const seenRunning = () =>
      (reg.get('analysisrun', 'demo', 'webapp-h2-2-3') as { status?: { phase?: string } } | undefined)?.status
        ?.phase === 'Running';
    for (let i = 0; i < 200 && !seenRunning(); i++) await new Promise((res) => setTimeout(res, 25));
    expect((await canaryTargetOf(ro)).reads).toBe('cache');
  });
});
