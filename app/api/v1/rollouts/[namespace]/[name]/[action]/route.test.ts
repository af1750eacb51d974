import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedActions } from '@/lib/rollout/allowed-actions';
import { loadFixtures } from '@/lib/rollout/testdata/load-fixtures';
import { healthy, inProgress, readRollout, seedDemo, setRollout } from '@/server/kube/testing/demo-seed';
import { type LabKube, startLabKube } from '@/server/kube/testing/lab-kube';
import { post } from './post-helper.test-support';

let k: LabKube;

beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig; // before the runtime is built (first request)
  seedDemo(k.lab);
});
afterAll(async () => {
  await k?.close();
});

const pause = [{ reason: 'CanaryPauseStep', startTime: '2024-05-01T10:00:00Z' }];

describe('promote', () => {
  it('clears the pause conditions of an indefinite pause (status subresource)', async () => {
    setRollout(k.lab, 'v1.1', {
      ...inProgress,
      currentStepIndex: 1,
      pauseConditions: pause,
      controllerPause: true,
    });
    const r = await post('promote');
    expect(r.status).toBe(200);
    expect(r.json.patch).toEqual({ status: { pauseConditions: null } });
    expect(r.json.target).toBe('/status');
    expect(r.json.patches).toHaveLength(1);
    const ro = readRollout(k.lab);
    expect(ro.status.pauseConditions).toBeUndefined();
    expect(ro.status.currentStepIndex).toBe(1);
    expect(r.json.result.metadata.resourceVersion).toBe(ro.metadata.resourceVersion);
  });

  it('then unpauses spec.paused with a second patch on the main resource', async () => {
    setRollout(
      k.lab,
      'v1.1',
      { ...inProgress, currentStepIndex: 1, pauseConditions: pause },
      { paused: true },
    );
    const r = await post('promote', {});
    expect(r.status).toBe(200);
    expect(r.json.patches.map((p: { target: string; patch: unknown }) => [p.target, p.patch])).toEqual([
      ['/status', { status: { pauseConditions: null } }],
      ['main', { spec: { paused: false } }],
    ]);
    expect(readRollout(k.lab).spec.paused).toBe(false);
  });

  it('moves past a running step analysis with currentStepIndex N+1', async () => {
    setRollout(k.lab, 'v1.1', {
      ...inProgress,
      currentStepIndex: 2,
      canary: { currentStepAnalysisRunStatus: { name: 'webapp-h2-2', status: 'Running' } },
    });
    const r = await post('promote');
    // kubectl-argo-rollouts v1.9.1 promote.go clearPauseConditionsPatchWithStep: the step and a null pauseConditions.
    expect(r.json.patch).toEqual({ status: { pauseConditions: null, currentStepIndex: 3 } });
    expect(readRollout(k.lab).status.currentStepIndex).toBe(3);
  });

  it('after an Inconclusive analysis also clears controllerPause', async () => {
    setRollout(k.lab, 'v1.1', {
      ...inProgress,
      currentStepIndex: 2,
      controllerPause: true,
      pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: '2024-05-01T10:00:00Z' }],
      canary: { currentStepAnalysisRunStatus: { name: 'webapp-h2-2', status: 'Inconclusive' } },
    });
    const r = await post('promote');
    expect(r.json.patch).toEqual({
      status: { pauseConditions: null, controllerPause: false, currentStepIndex: 3 },
    });
    expect(readRollout(k.lab).status).toMatchObject({ controllerPause: false, currentStepIndex: 3 });
  });

  it('refuses with 409 when nothing is paused and no step is waiting', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    const r = await post('promote');
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/nothing is paused and no step is waiting/);
  });
});

describe('promote-full, abort, retry', () => {
  it('promote-full sets status.promoteFull, and is refused when already fully promoted', async () => {
    setRollout(k.lab, 'v1.1', { ...inProgress, currentStepIndex: 1 });
    const r = await post('promote-full');
    expect(r.json).toMatchObject({ patch: { status: { promoteFull: true } }, target: '/status' });
    expect(readRollout(k.lab).status.promoteFull).toBe(true);
    setRollout(k.lab, 'v1.0', healthy);
    expect((await post('promote-full')).status).toBe(409);
  });

  it('abort, abort again (409), retry, retry again (409)', async () => {
    setRollout(k.lab, 'v1.1', { ...inProgress, currentStepIndex: 3 });
    const a = await post('abort');
    expect(a.json).toMatchObject({ patch: { status: { abort: true } }, target: '/status' });
    expect(readRollout(k.lab).status.abort).toBe(true);
    const again = await post('abort');
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already aborted/),
    });
    const r = await post('retry');
    expect(r.json).toMatchObject({ patch: { status: { abort: false } }, target: '/status' });
    expect(readRollout(k.lab).status.abort).toBe(false);
    expect((await post('retry')).json.error.message).toMatch(/not aborted/);
  });

  it('abort is refused for a healthy rollout with nothing in progress', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    expect((await post('abort')).json.error.message).toMatch(/healthy with nothing in progress/);
  });
});

describe('restart, pause, resume', () => {
  it('restart writes spec.restartAt as RFC 3339 now', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    const before = Date.now() - 1000;
    const r = await post('restart');
    expect(r.json.target).toBe('main');
    const at = readRollout(k.lab).spec.restartAt as string;
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.json.patch).toEqual({ spec: { restartAt: at } });
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('pause and resume set spec.paused', async () => {
    setRollout(k.lab, 'v1.0', healthy);
    expect((await post('pause')).json.patch).toEqual({ spec: { paused: true } });
    expect(readRollout(k.lab).spec.paused).toBe(true);
    expect((await post('resume')).json.patch).toEqual({ spec: { paused: false } });
    expect(readRollout(k.lab).spec.paused).toBe(false);
  });
});

describe('every action the allowed actions refuse is refused by the route: 409 with the reason, nothing written', () => {
  const CHECKED = [
    ['promote', 'promote'],
    ['promote-full', 'promote-full'],
    ['abort', 'abort'],
    ['retry', 'retry'],
  ] as const;
  /** Each fixture rollout of lib/rollout/testdata (its spec and status) in the lab, with each action it refuses. */
  const cases = loadFixtures().flatMap((f) =>
    CHECKED.flatMap(([route, name]) => {
      const check = allowedActions(f.rollout, { otherRevisions: 0 })[name];
      return check.ok ? [] : [[f.file, route, check.reason ?? ''] as const];
    }),
  );
  const fixture = (file: string) => {
    const f = loadFixtures().find((x) => x.file === file);
    if (!f) throw new Error(`no fixture ${file}`);
    return f;
  };

  it('covers Promote after the last step, Promote and Promote-full on an aborted rollout', () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        ['finishing.yaml', 'promote', 'nothing is paused and no step is waiting'],
        ['aborted.yaml', 'promote', 'the rollout is aborted: retry or undo first'],
        ['aborted.yaml', 'promote-full', 'the rollout is aborted: retry or undo first'],
      ]),
    );
  });

  it.each(cases)('%s: %s is refused (%s)', async (file, action, reason) => {
    const f = fixture(file);
    setRollout(k.lab, 'v1.1', (f.rollout.status ?? {}) as Record<string, unknown>, f.rollout.spec ?? {});
    const before = readRollout(k.lab);
    const r = await post(action);
    expect(r.status).toBe(409);
    expect(r.json.error).toEqual({ code: 'conflict', message: `cannot ${action}: ${reason}` });
    expect(readRollout(k.lab)).toEqual(before);
  });
});
