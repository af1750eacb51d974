import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, renderFast, stepEvents, weightWindows } from './canary-fixture';
import {
  getObj,
  hashOfImage,
  healthyAt,
  list,
  type Obj,
  PATHS,
  patch,
  patchRolloutStatus,
  rollout,
  runningPods,
  setImage,
  undoTo,
  vsCanaryWeight,
} from './kube-objects';
import { LabProcess } from './lab-process';
import { failed, shareOf, Traffic } from './traffic';
import { processAlive, sleep, waitFor } from './wait';
import { WatchStream } from './watch-stream';

// Issue 4 (Must show): canary releases on the real lab program, its Prometheus and gateway, with manifests/app-fast.
const V10 = 'webapp:v1.0';
const V11 = 'webapp:v1.1';
const RPS = 150;

let lab: LabProcess;
let fastSteps: unknown[] = [];
const streams: WatchStream[] = [];
const loads: Traffic[] = [];

const traffic = (rps: number, maxSeconds: number) => {
  const t = new Traffic({
    url: `${lab.gatewayUrl}/api/work`,
    host: 'webapp.local',
    rps,
    maxRequests: rps * maxSeconds,
    maxDurationMs: maxSeconds * 1000,
  });
  loads.push(t);
  return t;
};

const watch = (path: string) => {
  const w = new WatchStream(lab, path);
  streams.push(w);
  return w;
};

const status = async () => (await rollout(lab)).status ?? {};
const setSteps = (steps: unknown[]) =>
  patch(lab, PATHS.rollout, [{ op: 'replace', path: '/spec/strategy/canary/steps', value: steps }], 'json');
const pausedAt = (step: number) => async () => {
  const s = await status();
  return s.phase === 'Paused' && s.currentStepIndex === step && (s.pauseConditions ?? []).length > 0;
};
const vsWeight = async () => vsCanaryWeight(await getObj(lab, PATHS.vs));

/** Steps with indefinite pauses (only a promote moves on) and the fast overlay's last analysis and 100 %. */
const opsSteps = () => [
  { setWeight: 10 },
  { pause: {} },
  { setWeight: 30 },
  { pause: {} },
  ...fastSteps.slice(8),
];

/** manifests/app-fast applied once (the first test checks the render; a test run alone with -t gets it here). */
async function deployed(): Promise<void> {
  if (fastSteps.length) return;
  const { yaml, objects } = await renderFast(lab);
  fastSteps = objects.find((o) => o.kind === 'Rollout')?.spec.strategy.canary.steps ?? [];
  await lab.kubectl(['apply', '-f', '-'], yaml);
  await waitFor('v1.0 Healthy', () => healthyAt(lab, V10), 30_000);
}

/**
 * Each test's starting state, whatever the tests before it left: no faults, not paused, `steps`, and `image` the
 * stable, Healthy revision (launched and promoted in full when it is not: set-up, not what is tested).
 */
async function reset(image: string, steps: () => unknown[]): Promise<void> {
  await deployed();
  await patch(lab, PATHS.faults, { data: { 'faults.json': '{}' } });
  await patch(lab, PATHS.rollout, { spec: { paused: false } });
  await setSteps(steps());
  if (await healthyAt(lab, image)) return;
  if ((await status()).abort) await patchRolloutStatus(lab, { abort: false });
  await setImage(lab, image);
  const target = await waitFor(`${image} observed`, async () => {
    const ro = await rollout(lab);
    return (
      ro.status?.observedGeneration === String(ro.metadata.generation ?? '') &&
      ro.status?.currentPodHash === (await hashOfImage(lab, image)) &&
      ro
    );
  });
  if (target.status.stableRS !== target.status.currentPodHash)
    await patchRolloutStatus(lab, { promoteFull: true });
  await waitFor(`${image} Healthy`, () => healthyAt(lab, image), 60_000);
  await waitFor('only the stable pods', async () => (await runningPods(lab)).length === 2, 30_000);
}

beforeAll(async () => {
  lab = await LabProcess.start({ prometheus: true, scrapeIntervalSeconds: 1 });
});

afterAll(async () => {
  for (const l of loads) await l.stop();
  for (const s of streams) s.close();
  await lab?.stop();
});

describe('canary releases on the lab (manifests/app-fast)', () => {
  it('renders the fast overlay offline and deploys v1.0', async () => {
    const { yaml, objects } = await renderFast(lab);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).not.toContain(
      'AnalysisTemplate/webapp-slo-judge',
    );
    const ro = objects.find((o) => o.kind === 'Rollout');
    const canary = ro?.spec.strategy.canary;
    expect(canary).toMatchObject({ scaleDownDelaySeconds: 3, abortScaleDownDelaySeconds: 3 });
    fastSteps = canary.steps;
    expect(fastSteps.map((s) => Object.keys(s as object)[0])).toEqual([
      ...[
        'setWeight',
        'pause',
        'analysis',
        'setWeight',
        'pause',
        'analysis',
        'setWeight',
        'pause',
        'analysis',
      ],
      'setWeight',
    ]);
    const applied = await lab.kubectl(['apply', '-f', '-'], yaml);
    expect(applied.stderr).toBe('');
    await waitFor('v1.0 Healthy', () => healthyAt(lab, V10), 30_000);
    await waitFor('2 pods ready', async () => (await runningPods(lab)).length === 2, 30_000);
  });

  it('success: under load the canary share follows 10/30/60/100, analyses pass, v1.0 goes, zero failed requests', async () => {
    await reset(V10, () => fastSteps);
    const eventsBefore = (await stepEvents(lab)).length;
    const vs = watch(PATHS.vs.replace('/webapp', ''));
    expect(await vs.opened).toBe(200);
    const oldHash = (await status()).stableRS;
    const load = traffic(RPS, 150);
    await sleep(1000);
    const t0 = Date.now();
    await setImage(lab, V11);
    const done = await waitFor('v1.1 Healthy', () => healthyAt(lab, V11), 140_000, 250);
    const completedAt = Date.now();
    await waitFor('v1.0 pods gone', async () => (await runningPods(lab, oldHash)).length === 0, 20_000);
    const goneAfter = (Date.now() - completedAt) / 1000;
    await sleep(Math.max(0, 8000 - (Date.now() - completedAt))); // >= 1,000 requests at 100 %
    const samples = await load.stop();

    const windows = weightWindows(vs.events, Date.now());
    expect(windows.map((w) => w.weight)).toEqual([0, 10, 30, 60, 100, 0]);
    const table: string[] = [];
    for (const target of [10, 30, 60, 100]) {
      const w = windows.find((x) => x.weight === target);
      if (!w) throw new Error(`no window at ${target}`);
      // At 100 the canary becomes stable and the route goes back to 100/0 to the (new) stable: v1.1 throughout.
      const to = target === 100 ? Date.now() : w.to;
      const s = shareOf(load.between(w.from + 300, to), 'v1.1');
      table.push(`${target}%: ${s.pct.toFixed(1)}% v1.1 over ${s.n}`);
      expect(s.n).toBeGreaterThanOrEqual(1000);
      // Per-request weighted choice is binomial: allow 5σ of the observed count (at least 1 point).
      const bound = Math.max(1, 500 * Math.sqrt(((target / 100) * (1 - target / 100)) / s.n));
      expect(Math.abs(s.pct - target)).toBeLessThanOrEqual(bound);
    }
    const bad = samples.filter(failed);
    console.log(
      `success: ${table.join(', ')}; ${samples.length} requests, ${bad.length} failed; ` +
        `Healthy ${((completedAt - t0) / 1000).toFixed(1)} s after set image; v1.0 pods gone ${goneAfter.toFixed(1)} s after`,
    );
    expect(bad).toEqual([]);
    expect(goneAfter).toBeGreaterThanOrEqual(2); // scaleDownDelaySeconds: 3, seen from a 250 ms poll
    expect(samples.length).toBeGreaterThan(RPS * 40);

    expect(done.status.stableRS).not.toBe(oldHash);
    expect(done.status.stableRS).toBe(await hashOfImage(lab, V11));
    const runs = (await list(lab, PATHS.analysisRuns)).filter(
      (r) => r.metadata.labels?.['rollouts-pod-template-hash'] === done.status.stableRS,
    );
    expect(runs.map((r) => r.status?.phase)).toEqual(['Successful', 'Successful', 'Successful']);
    expect((await stepEvents(lab)).slice(eventsBefore)).toEqual(
      fastSteps.map((_, i) => expect.stringMatching(new RegExp(`^Rollout step ${i + 1}/10 completed`))),
    );
  }, 200_000);

  it('undo rolls back to v1.0 as a new revision; promote goes through an indefinite pause', async () => {
    await reset(V10, opsSteps); // a v1.0 ReplicaSet to go back to
    await reset(V11, opsSteps);
    const before = await list(lab, PATHS.replicaSets);
    const v10 = before.find((rs) => rs.spec.template.spec.containers[0].image === V10);
    const revision = (rs?: Obj) => Number(rs?.metadata.annotations?.['rollout.argoproj.io/revision']);
    const top = Math.max(...before.map(revision));
    await undoTo(lab, v10?.metadata.name ?? '-');
    await waitFor('paused at step 1', pausedAt(1), 30_000);
    expect(await vsWeight()).toBe(10);
    const after = await list(lab, PATHS.replicaSets);
    expect(after.map((rs) => rs.metadata.uid).sort()).toEqual(before.map((rs) => rs.metadata.uid).sort());
    expect(revision(after.find((rs) => rs.metadata.uid === v10?.metadata.uid))).toBe(top + 1);
    await sleep(2000);
    expect(await pausedAt(1)()).toBe(true); // an indefinite pause holds

    await patchRolloutStatus(lab, { pauseConditions: null }); // promote
    await waitFor('paused at step 3', pausedAt(3), 30_000);
    expect(await vsWeight()).toBe(30);
  });

  it('promoteFull skips the remaining steps (no analysis) and completes', async () => {
    await reset(V11, opsSteps);
    await setImage(lab, V10);
    await waitFor('paused at step 1', pausedAt(1), 30_000);
    await patchRolloutStatus(lab, { pauseConditions: null }); // promote
    await waitFor('paused at step 3', pausedAt(3), 30_000);
    const runs = (await list(lab, PATHS.analysisRuns)).length;
    await patchRolloutStatus(lab, { promoteFull: true });
    await waitFor('v1.0 Healthy', () => healthyAt(lab, V10), 30_000);
    expect(await list(lab, PATHS.analysisRuns)).toHaveLength(runs);
    expect(await vsWeight()).toBe(0);
  });

  it('abort then retry completes', async () => {
    await reset(V10, opsSteps);
    await setImage(lab, V11);
    await waitFor('paused at step 1', pausedAt(1), 30_000);
    await patchRolloutStatus(lab, { abort: true });
    await waitFor('Degraded', async () => (await status()).phase === 'Degraded', 10_000);
    expect(await vsWeight()).toBe(0);
    expect((await status()).message).toMatch(/^RolloutAborted: Rollout aborted update to revision \d+/);
    await patchRolloutStatus(lab, { abort: false }); // retry
    await waitFor('paused at step 1 again', pausedAt(1), 30_000);
    expect(await vsWeight()).toBe(10);
    await patchRolloutStatus(lab, { promoteFull: true });
    await waitFor('v1.1 Healthy', () => healthyAt(lab, V11), 30_000);
  });

  it('restart (spec.restartAt) replaces every pod', async () => {
    await reset(V11, opsSteps);
    const hash = (await status()).stableRS;
    const before = await waitFor('2 pods', async () => {
      const p = await runningPods(lab, hash);
      return p.length === 2 && p;
    });
    const at = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    await patch(lab, PATHS.rollout, { spec: { restartAt: at } });
    await waitFor(
      'every pod replaced',
      async () => {
        const pods = await runningPods(lab, hash);
        const all = await list(lab, PATHS.pods);
        return (
          pods.length === 2 &&
          all.length === 2 &&
          pods.every((p) => !before.some((b) => b.metadata.name === p.metadata.name))
        );
      },
      40_000,
    );
    expect((await status()).stableRS).toBe(hash);
    // The replacements are Running before they are Ready; the rollout is Progressing until they are available.
    await waitFor(
      'Healthy again after the restart',
      async () => (await status()).phase === 'Healthy',
      30_000,
    );
  });

  it('a paused rollout (spec.paused) does not advance; unpaused, it goes on', async () => {
    await reset(V11, opsSteps);
    await patch(lab, PATHS.rollout, { spec: { paused: true } });
    await setImage(lab, V10);
    await waitFor('manually paused', async () => (await status()).phase === 'Paused', 10_000);
    await sleep(3000);
    const s = await status();
    expect(s).toMatchObject({ phase: 'Paused', currentStepIndex: 0 });
    expect(await vsWeight()).toBeLessThanOrEqual(10);
    await patch(lab, PATHS.rollout, { spec: { paused: false } });
    await waitFor('paused at step 1', pausedAt(1), 30_000);
  });

  it('kill -9 of the lab mid-rollout: the same step, the same ReplicaSets, nothing twice, pods back Running', async () => {
    await reset(V11, opsSteps);
    await setImage(lab, V10);
    await waitFor('paused at step 1', pausedAt(1), 30_000);
    await waitFor('3 pods Running', async () => (await runningPods(lab)).length === 3, 30_000);
    const pid = lab.pid ?? 0;
    const promPid = childPids(pid).find((p) => cmdline(p).includes('prometheus'));
    const before = await status();
    const rss = (await list(lab, PATHS.replicaSets)).map((r) => r.metadata.uid).sort();
    const runs = (await list(lab, PATHS.analysisRuns)).map((r) => r.metadata.name).sort();
    expect(await runningPods(lab)).toHaveLength(3);
    await lab.killNine();
    const t0 = Date.now();
    await lab.launch();
    await waitFor('3 pods Running again', async () => (await runningPods(lab)).length === 3, 40_000);
    console.log(
      `kill -9: lab ready and 3 pods Running ${((Date.now() - t0) / 1000).toFixed(1)} s after restart`,
    );
    const after = await status();
    expect(after.currentStepIndex).toBe(1);
    expect(after.phase).toBe('Paused');
    expect(after.currentPodHash).toBe(before.currentPodHash);
    expect(after.stableRS).toBe(before.stableRS);
    expect((await list(lab, PATHS.replicaSets)).map((r) => r.metadata.uid).sort()).toEqual(rss);
    expect((await list(lab, PATHS.analysisRuns)).map((r) => r.metadata.name).sort()).toEqual(runs);
    expect(await vsWeight()).toBe(10);
    // Regression (lab/metrics/prometheus.ts): the killed lab's Prometheus is not left running.
    expect(promPid).toBeDefined();
    expect(processAlive(promPid ?? 0)).toBe(false);
    expect(
      lab.prometheusUrl,
      `the relaunched lab has no Prometheus:\n${lab.output().slice(-3000)}`,
    ).not.toBeNull();

    await patchRolloutStatus(lab, { pauseConditions: null });
    await waitFor('paused at step 3', pausedAt(3), 30_000);
    await patchRolloutStatus(lab, { promoteFull: true });
    await waitFor('v1.0 Healthy', () => healthyAt(lab, V10), 30_000);
    expect(await list(lab, PATHS.analysisRuns)).toHaveLength(runs.length);
  });

  it('failure: a canary-only 20 % error fault fails the analysis; Degraded after the failed measurement; 100 % to stable', async () => {
    await reset(V10, () => fastSteps);
    await patch(lab, PATHS.faults, { data: { 'faults.json': '{"v1.1":{"errorRate":0.2}}' } });
    const ars = watch(PATHS.analysisRuns);
    const ros = watch(PATHS.rollouts);
    expect(await ars.opened).toBe(200);
    expect(await ros.opened).toBe(200);
    const load = traffic(100, 90);
    await sleep(500);
    await setImage(lab, V11);
    const degraded = await ros.next((e) => e.object.status?.phase === 'Degraded', 60_000);
    await sleep(3000);
    const samples = await load.stop();
    const failing = ars.events.find((e) =>
      (e.object.status?.metricResults ?? []).some((m: { measurements?: Array<{ phase: string }> }) =>
        (m.measurements ?? []).some((x) => x.phase === 'Failed'),
      ),
    );
    if (!failing) throw new Error('no failing measurement seen');
    const run = await getObj(lab, `${PATHS.analysisRuns}/${failing.object.metadata.name}`);
    expect(run.status.phase).toBe('Failed');
    const secs = (degraded.at - failing.at) / 1000;
    const message = String(degraded.object.status.message);
    const after = samples.filter((s) => s.sentAt > degraded.at);
    const late = after.filter((s) => s.version === 'v1.1').length;
    console.log(
      `failure: Degraded ${secs.toFixed(2)} s after the first failing measurement; message "${message}"; ` +
        `${after.length} requests after the abort, ${late} to v1.1`,
    );
    // How soon is a bench figure (bench:chaos, time to rollback), not an assertion; the wait above bounds it at 60 s.
    expect(secs).toBeGreaterThanOrEqual(0);
    expect(message).toMatch(/success-rate|error-rate/);
    expect(after.length).toBeGreaterThan(200);
    expect(late).toBe(0);
    expect(await vsWeight()).toBe(0);
    expect(await hashOfImage(lab, V10)).toBe((await status()).stableRS);
    await patch(lab, PATHS.faults, { data: { 'faults.json': '{}' } });
  }, 120_000);
});

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
