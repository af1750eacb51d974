import { afterEach, describe, expect, it } from 'vitest';
import { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import { HASHES, templateOf } from './fixtures';
import { normalizeTemplate } from './hash';
import { startController } from './index';
import { RO, RS, rolloutObject, seedDemo, startJudge, startLabKubelet, tmpDb, waitFor } from './test-helpers';
import { HASH_LABEL, type ReplicaSet, type Rollout, type VirtualService } from './types';

const VS = resource('virtualservices');
const SVC = resource('services');
const AR = resource('analysisruns');
const EV = resource('events');

/** A canary weight the VirtualService took, with the canary ReplicaSet's pods at that moment. */
interface WeightChange {
  weight: number;
  canaryDesired: number;
  canaryAvailable: number;
}

interface Lab {
  store: LabStore;
  file: string;
  weights: number[];
  /** Every change of the canary weight, with how many canary pods were available when it happened. */
  changes: WeightChange[];
  stop(): Promise<void>;
  restart(): Promise<void>;
}
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function lab(): Promise<Lab & { judge: Awaited<ReturnType<typeof startJudge>> }> {
  const judge = await startJudge();
  const file = tmpDb();
  const weights: number[] = [];
  const changes: WeightChange[] = [];
  let store = new LabStore({ file });
  seedDemo(store, judge.url);
  let kubelet = startLabKubelet(store);
  let ctl = startController({ store, resyncMs: 1000 });
  const watchVs = () =>
    store.watch(VS, { resourceVersion: store.currentResourceVersion() }, (ev) => {
      const route = (ev.object as VirtualService).spec?.http?.[0]?.route ?? [];
      const weight = route.find((d) => d.destination.host === 'webapp-canary')?.weight ?? -1;
      if (weight !== weights.at(-1)) {
        const hash = ro(store)?.status?.currentPodHash;
        const rs = hash ? (store.get(RS, 'demo', `webapp-${hash}`) as ReplicaSet | undefined) : undefined;
        changes.push({
          weight,
          canaryDesired: rs?.spec.replicas ?? 0,
          canaryAvailable: rs?.status?.availableReplicas ?? 0,
        });
      }
      weights.push(weight);
    });
  watchVs();
  const l = {
    judge,
    file,
    weights,
    changes,
    get store() {
      return store;
    },
    async stop() {
      await ctl.stop();
      await kubelet.stop();
      store.close();
    },
    /** The lab restarts: controller and kubelet stop, the store is reopened from its file, both start again. */
    async restart() {
      await ctl.stop();
      await kubelet.stop();
      store.close();
      store = new LabStore({ file });
      kubelet = startLabKubelet(store);
      watchVs();
      ctl = startController({ store, resyncMs: 1000 });
    },
  };
  cleanups.push(async () => {
    await l.stop();
    await judge.close();
  });
  return l;
}

function ro(s: LabStore): Rollout {
  return s.get(RO, 'demo', 'webapp') as Rollout;
}
const setTemplate = (s: LabStore, v: string) =>
  s.mutate(RO, 'demo', 'webapp', (o) => ({ ...o, spec: { ...(o.spec as object), template: templateOf(v) } }));
const patchStatus = (s: LabStore, patch: Record<string, unknown>) =>
  s.mutate(RO, 'demo', 'webapp', (o) => ({ ...o, status: { ...(o.status as object), ...patch } }), {
    subresource: 'status',
  });
const healthyAt = (s: LabStore, v: string) => () => {
  const st = ro(s).status;
  return st?.phase === 'Healthy' && st.stableRS === HASHES[v] && st.currentPodHash === HASHES[v];
};
const selector = (s: LabStore, name: string) =>
  (s.get(SVC, 'demo', name) as { spec: { selector: Record<string, string> } }).spec.selector[HASH_LABEL];
const canaryWeight = (s: LabStore) =>
  (s.get(VS, 'demo', 'webapp-vs') as VirtualService).spec?.http?.[0]?.route?.find(
    (d) => d.destination.host === 'webapp-canary',
  )?.weight;
const events = (s: LabStore) =>
  s
    .list(EV, { namespace: 'demo' })
    .items.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));

const STEPS = [
  { setWeight: 10 },
  { setWeight: 30 },
  {
    analysis: {
      templates: [{ templateName: 'judge' }],
      args: [
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      ],
    },
  },
  { setWeight: 60 },
  { setWeight: 100 },
];

async function deployV1(l: Lab, steps: unknown[] = STEPS): Promise<void> {
  l.store.create(RO, rolloutObject(steps));
  await waitFor('v1 healthy', healthyAt(l.store, 'v1'));
}

// The judge here is scripted (test-helpers startJudge): these tests drive the controller through each verdict on cue.
describe('lab controller (in-process store, the lab kubelet running webapp pods, a scripted judge over HTTP)', () => {
  it('success path walks 10/30/60/100 and promotes the new ReplicaSet', async () => {
    const l = await lab();
    await deployV1(l);
    expect(selector(l.store, 'webapp-stable')).toBe(HASHES.v1);
    setTemplate(l.store, 'v2');
    await waitFor('v2 healthy', healthyAt(l.store, 'v2'), 60_000);
    expect(l.weights.filter((w, i) => w !== l.weights[i - 1])).toEqual([10, 30, 60, 100, 0]);
    // Traffic moves only to canary pods that are ready (their /readyz answered 200): never ahead of them.
    for (const c of l.changes.filter((x) => x.weight > 0)) {
      expect(c.canaryDesired, JSON.stringify(c)).toBeGreaterThanOrEqual(Math.ceil((4 * c.weight) / 100));
      expect(c.canaryAvailable, JSON.stringify(c)).toBeGreaterThanOrEqual(c.canaryDesired);
    }
    expect(selector(l.store, 'webapp-stable')).toBe(HASHES.v2);
    expect(selector(l.store, 'webapp-canary')).toBe(HASHES.v2);
    expect(l.judge.calls[0]).toBe(`/api/v1/judge?ns=demo&hash=${HASHES.v2}`);
    const reasons = events(l.store).map((e) => `${e.reason}: ${e.message}`);
    const order = [
      'RolloutUpdated: Rollout updated to revision 2',
      'TrafficWeightUpdated: Traffic weight updated from 0 to 10',
      'RolloutStepCompleted: Rollout step 1/5 completed (setWeight: 10)',
      'TrafficWeightUpdated: Traffic weight updated from 10 to 30',
      'RolloutStepCompleted: Rollout step 2/5 completed (setWeight: 30)',
      `AnalysisRunRunning: Step Analysis Run 'webapp-${HASHES.v2}-2-2' Status New: 'Running' Previous: 'NONE'`,
      `AnalysisRunSuccessful: Step Analysis Run 'webapp-${HASHES.v2}-2-2' Status New: 'Successful' Previous: 'Running'`,
      'RolloutStepCompleted: Rollout step 3/5 completed (analysis)',
      'TrafficWeightUpdated: Traffic weight updated from 30 to 60',
      'TrafficWeightUpdated: Traffic weight updated from 60 to 100',
      `RolloutCompleted: Rollout completed update to revision 2 (${HASHES.v2}): Completed all 5 canary steps`,
    ];
    expect(reasons.filter((r) => order.includes(r))).toEqual(order);
    const v1 = await waitFor(
      'old RS scaled down',
      () => {
        const rs = l.store.get(RS, 'demo', `webapp-${HASHES.v1}`) as ReplicaSet;
        return rs.spec.replicas === 0 && rs;
      },
      5000,
    );
    expect(v1.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('1');
    expect(ro(l.store).status).toMatchObject({
      currentStepIndex: 5,
      observedGeneration: '2',
      controllerPause: false,
    });
  });

  it('failure path aborts: weights to stable at once, Degraded, message names the metric', async () => {
    const l = await lab();
    await deployV1(l);
    l.judge.verdict.value = 'rollback';
    setTemplate(l.store, 'v2');
    const st = await waitFor(
      'degraded',
      () => ro(l.store).status?.phase === 'Degraded' && ro(l.store).status,
    );
    expect(canaryWeight(l.store)).toBe(0);
    expect(st.message).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(st).toMatchObject({ abort: true, stableRS: HASHES.v1, currentStepIndex: 0 });
    expect(selector(l.store, 'webapp-stable')).toBe(HASHES.v1);
    await waitFor(
      'canary scaled down',
      () => (l.store.get(RS, 'demo', `webapp-${HASHES.v2}`) as ReplicaSet).spec.replicas === 0,
      5000,
    );
  });

  it('promote through an indefinite pause, then promoteFull', async () => {
    const l = await lab();
    await deployV1(l, [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);
    setTemplate(l.store, 'v2');
    await waitFor('paused', () => ro(l.store).status?.phase === 'Paused');
    expect(ro(l.store).status).toMatchObject({
      currentStepIndex: 1,
      controllerPause: true,
      message: 'CanaryPauseStep',
    });
    expect(canaryWeight(l.store)).toBe(25);
    patchStatus(l.store, { pauseConditions: null });
    await waitFor(
      'second pause',
      () => ro(l.store).status?.currentStepIndex === 3 && ro(l.store).status?.phase === 'Paused',
    );
    expect(canaryWeight(l.store)).toBe(50);
    patchStatus(l.store, { promoteFull: true });
    await waitFor('v2 healthy', healthyAt(l.store, 'v2'));
    expect(ro(l.store).status?.promoteFull).toBe(false);
  });

  it('abort then retry completes', async () => {
    const l = await lab();
    await deployV1(l, [{ setWeight: 25 }, { pause: {} }]);
    setTemplate(l.store, 'v2');
    await waitFor('paused', () => ro(l.store).status?.phase === 'Paused');
    patchStatus(l.store, { abort: true });
    await waitFor('degraded', () => ro(l.store).status?.phase === 'Degraded');
    expect(canaryWeight(l.store)).toBe(0);
    expect(ro(l.store).status?.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
    patchStatus(l.store, { abort: false });
    await waitFor(
      'paused again',
      () => ro(l.store).status?.phase === 'Paused' && ro(l.store).status?.currentStepIndex === 1,
    );
    expect(ro(l.store).status?.abortedAt).toBeUndefined();
    patchStatus(l.store, { pauseConditions: null });
    await waitFor('v2 healthy', healthyAt(l.store, 'v2'));
  });

  it('undo to v1.0 is a new revision that reuses the old ReplicaSet', async () => {
    const l = await lab();
    await deployV1(l, [{ setWeight: 50 }]);
    setTemplate(l.store, 'v2');
    await waitFor('v2 healthy', healthyAt(l.store, 'v2'));
    const old = l.store.get(RS, 'demo', `webapp-${HASHES.v1}`) as ReplicaSet;
    const tmpl = normalizeTemplate(old.spec.template);
    l.store.mutate(RO, 'demo', 'webapp', (o) => ({ ...o, spec: { ...(o.spec as object), template: tmpl } }));
    await waitFor('v1 healthy again', healthyAt(l.store, 'v1'));
    const rss = l.store.list(RS, { namespace: 'demo' }).items as ReplicaSet[];
    expect(rss.map((r) => r.metadata.name).sort()).toEqual(
      [`webapp-${HASHES.v1}`, `webapp-${HASHES.v2}`].sort(),
    );
    const v1 = rss.find((r) => r.metadata.name === `webapp-${HASHES.v1}`);
    expect(v1?.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
    expect(l.weights).toContain(50);
  });

  it('a paused rollout does not advance', async () => {
    const l = await lab();
    await deployV1(l, [{ setWeight: 25 }, { setWeight: 50 }]);
    l.store.mutate(RO, 'demo', 'webapp', (o) => ({
      ...o,
      spec: { ...(o.spec as object), paused: true, template: templateOf('v2') },
    }));
    await waitFor('manually paused', () => ro(l.store).status?.message === 'manually paused');
    // Until the controller has seen the canary's pod available (its /readyz answered; the rollout status counts the 4
    // stable pods and it): an unpaused rollout would now move on to step 1.
    await waitFor('the controller seeing the canary pod available', () => {
      const st = ro(l.store).status;
      return (st?.updatedReplicas ?? 0) >= 1 && (st?.availableReplicas ?? 0) >= 5;
    });
    // As in Argo, spec.paused stops step progress; the current step's own weight (25) may still be applied.
    expect(ro(l.store).status).toMatchObject({ phase: 'Paused', currentStepIndex: 0 });
    expect(canaryWeight(l.store)).toBeLessThanOrEqual(25);
    l.store.mutate(RO, 'demo', 'webapp', (o) => ({ ...o, spec: { ...(o.spec as object), paused: false } }));
    await waitFor('v2 healthy', healthyAt(l.store, 'v2'));
  });

  it('a controller restart mid-analysis continues from the same step with nothing created twice', async () => {
    const l = await lab();
    await deployV1(l);
    l.judge.verdict.value = 'pause';
    setTemplate(l.store, 'v2');
    await waitFor(
      'analysis running',
      () => ro(l.store).status?.canary?.currentStepAnalysisRunStatus?.status === 'Running',
    );
    await waitFor('some measurements', () => l.judge.calls.length >= 2);
    const before = ro(l.store).status;
    await l.restart();
    const callsAtRestart = l.judge.calls.length;
    await waitFor(
      'the restarted controller measuring again',
      () => l.judge.calls.length >= callsAtRestart + 2,
    );
    const after = ro(l.store).status;
    expect(after?.currentStepIndex).toBe(before?.currentStepIndex);
    expect(after?.currentStepIndex).toBe(2);
    expect(l.store.list(AR, { namespace: 'demo' }).items.map((a) => a.metadata.name)).toEqual([
      `webapp-${HASHES.v2}-2-2`,
    ]);
    expect(l.store.list(RS, { namespace: 'demo' }).items).toHaveLength(2);
    l.judge.verdict.value = 'promote';
    await waitFor('v2 healthy', healthyAt(l.store, 'v2'));
    expect(l.store.list(AR, { namespace: 'demo' }).items).toHaveLength(1);
  });
});
