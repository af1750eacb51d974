import {
  type AnalysisTemplate,
  buildAnalysisRun,
  buildReplicaSet,
  type CanaryStep,
  freeRunName,
  type KubeObject,
  type PodTemplate,
  podTemplateHash,
  type Rollout,
  type RolloutStatus,
  type RunKind,
  recordEvent,
  runBaseName,
} from '@control-center/lab/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { type CanaryTarget, canaryTargetOf, readRollout, TargetError } from './rollout-target';

/**
 * canaryTargetOf against a real lab API server: the objects are written as the lab controller writes them (its own
 * ReplicaSet and AnalysisRun builders, Argo's names, labels and annotations), at chosen times, and read back through
 * client-node exactly as against a real cluster.
 */
const ANALYSIS = { templates: [{ templateName: 'webapp-slo-judge' }] };
const STEPS: CanaryStep[] = [
  { setWeight: 10 },
  { analysis: ANALYSIS },
  { setWeight: 30 },
  { analysis: ANALYSIS },
  { setWeight: 60 },
  { analysis: ANALYSIS },
  { setWeight: 100 },
];
const TEMPLATES: AnalysisTemplate[] = [
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'webapp-slo-judge', namespace: 'demo' },
    spec: { metrics: [{ name: 'slo-judge', provider: { web: { url: 'http://judge' } } }] },
  },
];
const template = (tag: string): PodTemplate => ({
  metadata: { labels: { app: 'webapp' } },
  spec: { containers: [{ name: 'webapp', image: `webapp:${tag}`, ports: [{ containerPort: 8080 }] }] },
});
const V10 = podTemplateHash(template('v1.0'));
const V11 = podTemplateHash(template('v1.1'));
/** A fixed past second: creation times are set through the faked Date the lab's store reads. */
const T0 = Math.floor(Date.now() / 1000) - 7200;

let k: LabKube;
const at = (s: number) => vi.setSystemTime(new Date((T0 + s) * 1000));

function rolloutSpec(tag: string, canary: Record<string, unknown> = {}): Rollout['spec'] {
  return {
    replicas: 4,
    selector: { matchLabels: { app: 'webapp' } },
    template: template(tag),
    strategy: {
      canary: {
        canaryService: 'webapp-canary',
        stableService: 'webapp-stable',
        trafficRouting: { istio: { virtualService: { name: 'webapp', routes: ['primary'] } } },
        steps: STEPS,
        ...canary,
      },
    },
  };
}

function createRollout(name: string, tag: string, canary: Record<string, unknown> = {}): Rollout {
  return k.lab.store.create(R.ro, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: 'demo' },
    spec: rolloutSpec(tag, canary),
  } as unknown as KubeObject) as unknown as Rollout;
}

const getRollout = (name: string) => k.lab.store.get(R.ro, 'demo', name) as unknown as Rollout;

/** What the controller writes to the Rollout: spec (template) and status. */
function setRollout(name: string, tag: string, status: RolloutStatus): void {
  k.lab.store.mutate(R.ro, 'demo', name, (o) => ({
    ...o,
    spec: { ...(o as unknown as Rollout).spec, template: template(tag) },
  }));
  k.lab.store.mutate(R.ro, 'demo', name, (o) => ({ ...o, status }), { subresource: 'status' });
}

function createReplicaSet(ro: Rollout, tag: string, revision: number): void {
  k.lab.store.create(R.rs, buildReplicaSet(ro, podTemplateHash(template(tag)), revision, 1));
}

/** The lab controller's undo/relaunch: the reused ReplicaSet becomes the newest revision. */
function reviseReplicaSet(ro: Rollout, tag: string, revision: number, history: string): void {
  const name = `${ro.metadata.name}-${podTemplateHash(template(tag))}`;
  k.lab.store.mutate(R.rs, 'demo', name, (rs) => ({
    ...rs,
    metadata: {
      ...rs.metadata,
      annotations: {
        ...rs.metadata.annotations,
        'rollout.argoproj.io/revision': String(revision),
        'rollout.argoproj.io/revision-history': history,
      },
    },
  }));
}

/** Creates the run the lab controller would create for this step (or the background run) now; returns its name. */
function createRun(ro: Rollout, hash: string, revision: number, kind: RunKind, stepIndex = 0): string {
  const base = runBaseName(ro, hash, revision, kind, stepIndex);
  const taken = k.lab.store.list(R.ar, { namespace: 'demo' }).items.map((r) => r.metadata.name);
  const built = buildAnalysisRun({
    ro,
    analysis: ANALYSIS,
    templates: TEMPLATES,
    clusterTemplates: [],
    hash,
    stableHash: undefined,
    revision,
    kind,
    stepIndex,
    name: freeRunName(base, taken),
  });
  if (!built.run) throw new Error(built.error);
  return k.lab.store.create(R.ar, built.run).metadata.name ?? '';
}

function endRun(name: string, phase: string, terminate = false): void {
  if (terminate)
    k.lab.store.mutate(R.ar, 'demo', name, (r) => ({
      ...r,
      spec: { ...(r.spec as object), terminate: true },
    }));
  k.lab.store.mutate(R.ar, 'demo', name, (r) => ({ ...r, status: { phase } }), { subresource: 'status' });
}

const target = async (name: string, nowRel: number): Promise<CanaryTarget> =>
  canaryTargetOf(await readRollout('demo', name), undefined, T0 + nowRel);

const rel = (t: CanaryTarget) => ({
  since: t.since - T0,
  number: t.attempt.number,
  start: t.attempt.start - T0,
  steps: t.attempt.stepStarts.map((s) => [s.attempt, s.start - T0]),
});

beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  k.lab.store.create(R.ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await k?.close();
});

describe('canaryTargetOf over the lab API', () => {
  it('story (a) then a retry: a relaunched v1.0 starts at its own runs, attempts of revision 3 pool for rollback', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    const ro = createRollout('webapp', 'v1.0');
    createReplicaSet(ro, 'v1.0', 1); // the ReplicaSet that will be reused, created at T0
    setRollout('webapp', 'v1.0', { currentPodHash: V10, stableRS: V10, currentStepIndex: 7 });

    // canary-success: v1.1 at revision 2, each analysis successful, promoted
    at(100);
    createReplicaSet(ro, 'v1.1', 2);
    for (const [t, step] of [
      [110, 1],
      [200, 3],
      [205, 5],
    ] as const) {
      at(t);
      endRun(createRun(ro, V11, 2, 'Step', step), 'Successful');
    }
    setRollout('webapp', 'v1.1', { currentPodHash: V11, stableRS: V11, currentStepIndex: 7 });

    // canary-failure: back to v1.0, whose ReplicaSet is reused as revision 3
    at(400);
    reviseReplicaSet(ro, 'v1.0', 3, '1');
    at(410);
    const first = createRun(ro, V10, 3, 'Step', 1);
    expect(first).toBe(`webapp-${V10}-3-1`);
    setRollout('webapp', 'v1.0', {
      currentPodHash: V10,
      stableRS: V11,
      currentStepIndex: 1,
      canary: { weights: { canary: { weight: 10 }, stable: { weight: 90 } } },
    });
    vi.useRealTimers();
    let t = await target('webapp', 420);
    expect(rel(t)).toEqual({ since: 410, number: 1, start: 410, steps: [[1, 410]] });
    expect(t).toMatchObject({
      canaryHash: V10,
      stableHash: V11,
      weight: 10,
      stepIndex: 1,
      revision: '3',
      basis: 'step-analysis',
    });
    expect(t.attempt.stepsPerAttempt).toBe(3);

    // the analysis fails: aborted, weight back to 0; still attempt 1
    vi.useFakeTimers({ toFake: ['Date'] });
    at(450);
    endRun(first, 'Failed');
    setRollout('webapp', 'v1.0', {
      currentPodHash: V10,
      stableRS: V11,
      currentStepIndex: 0,
      abort: true,
      abortedAt: new Date().toISOString(),
      canary: { weights: { canary: { weight: 0 }, stable: { weight: 100 } } },
    });
    vi.useRealTimers();
    expect(rel(await target('webapp', 460))).toMatchObject({ since: 410, number: 1 });

    // retried: attempt 2 has no evidence until its first run; then it starts there, rollback pools from 410
    vi.useFakeTimers({ toFake: ['Date'] });
    at(600);
    setRollout('webapp', 'v1.0', {
      currentPodHash: V10,
      stableRS: V11,
      currentStepIndex: 0,
      canary: { weights: { canary: { weight: 10 }, stable: { weight: 90 } } },
    });
    vi.useRealTimers();
    expect(rel(await target('webapp', 610))).toEqual({
      since: 410,
      number: 2,
      start: 610,
      steps: [
        [1, 410],
        [2, 610],
      ],
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    at(650);
    expect(createRun(ro, V10, 3, 'Step', 1)).toBe(`webapp-${V10}-3-1.1`);
    setRollout('webapp', 'v1.0', {
      currentPodHash: V10,
      stableRS: V11,
      currentStepIndex: 1,
      canary: { weights: { canary: { weight: 10 }, stable: { weight: 90 } } },
    });

    // another rollout with the same pod template (same hash label, same revision number) does not count
    at(620);
    const other = createRollout('webapp-b', 'v1.0');
    createReplicaSet(other, 'v1.0', 3);
    at(640);
    endRun(createRun(other, V10, 3, 'Step', 1), 'Failed');
    vi.useRealTimers();
    t = await target('webapp', 700);
    expect(rel(t)).toEqual({
      since: 410,
      number: 2,
      start: 650,
      steps: [
        [1, 410],
        [2, 650],
      ],
    });
    expect(t.since).toBeGreaterThan(T0); // never the ReplicaSet's creation
  });

  it('a background analysis: attempts from its runs, the current step from TrafficWeightUpdated events', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(1000);
    const bgSteps = [{ setWeight: 10 }, { pause: { duration: '1m' } }, { setWeight: 30 }, { pause: {} }];
    const ro = createRollout('webapp-bg', 'v1.0', { steps: bgSteps, analysis: ANALYSIS });
    createReplicaSet(ro, 'v1.0', 1);
    at(1100);
    createReplicaSet(ro, 'v1.1', 2);
    at(1101);
    createRun(ro, V11, 2, 'Background');
    const fresh = getRollout('webapp-bg');
    recordEvent(
      k.lab.store,
      fresh,
      { eventType: 'Normal', reason: 'TrafficWeightUpdated', message: 'Traffic weight updated from 0 to 10' },
      (T0 + 1104) * 1000,
    );
    recordEvent(
      k.lab.store,
      fresh,
      {
        eventType: 'Normal',
        reason: 'TrafficWeightUpdated',
        message: 'Traffic weight updated from 10 to 30',
      },
      (T0 + 1170) * 1000,
    );
    setRollout('webapp-bg', 'v1.1', {
      currentPodHash: V11,
      stableRS: V10,
      currentStepIndex: 3,
      canary: { weights: { canary: { weight: 30 }, stable: { weight: 70 } } },
    });
    vi.useRealTimers();
    const t = await target('webapp-bg', 1200);
    expect(rel(t)).toEqual({
      since: 1104,
      number: 1,
      start: 1104,
      steps: [
        [1, 1104],
        [1, 1170],
      ],
    });
    expect(t).toMatchObject({ basis: 'background-analysis', weight: 30, stepIndex: 3 });
  });

  it('answers 409 when there is no canary, or its ReplicaSet is not there yet', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(2000);
    createRollout('webapp-c', 'v1.0');
    setRollout('webapp-c', 'v1.0', { currentPodHash: V10, stableRS: V10, currentStepIndex: 7 });
    vi.useRealTimers();
    await expect(target('webapp-c', 2001)).rejects.toMatchObject({ status: 409, code: 'no_canary' });
    setRollout('webapp-c', 'v1.1', { currentPodHash: V11, stableRS: V10, currentStepIndex: 0 });
    const err = await target('webapp-c', 2002).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).message).toContain('not there yet');
  });
});
