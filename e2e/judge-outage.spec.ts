import {
  action,
  kubeJson,
  NS,
  ROLLOUT,
  rollout,
  setFaults,
  settle,
  startLoad,
  stopLoad,
} from './judge-evidence';
import { apiLogin, expect, type Lab, test, until } from './lab-fixture';

/**
 * The judge stays up: the control center freezes (SIGSTOP of its process: connections are accepted by the kernel and
 * never answered, as with a hung pod) for 60 s while the 10 % step's AnalysisRun is measuring, on the lab with real
 * Prometheus and the demo's judge template (manifests/app/41: interval 5 s, timeoutSeconds 5, consecutiveErrorLimit 15).
 * Right after the freeze begins the canary starts answering 50 % errors (ConfigMap webapp-faults, written to the lab
 * directly): nobody can judge it while the control center is frozen, so the rollout must hold, neither aborted nor
 * moved past the step, and the run records Error measurements (consecutiveError grows; nothing Failed, nothing
 * counted). After SIGCONT the judge answers again and its decision, rollback, aborts the rollout. (A rollback is
 * decisive within seconds of evidence; a healthy canary's promote needs the latency SLO's evidence, which a CPU-starved
 * test machine can withhold for many minutes.) Budget: ~2-2.5 min (lab start, ~15 s to the first measurement, the 60 s
 * freeze, the decision).
 */
test.use({ labOptions: { prometheus: true } });

const LOAD_RPS = 100;
const FREEZE_MS = 60_000;

interface RunJson {
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    metricResults?: {
      count?: number;
      failed?: number;
      error?: number;
      consecutiveError?: number;
      measurements?: { phase: string; value?: string; message?: string }[];
    }[];
  };
}

interface RolloutState {
  status?: { currentStepIndex?: number; abort?: boolean; phase?: string; currentPodHash?: string };
}

/** The step AnalysisRuns of a pod-template hash, newest first. */
async function runsOf(lab: Lab, hash: string): Promise<RunJson[]> {
  const list = await kubeJson<{ items: RunJson[] }>(
    lab,
    'get',
    'analysisruns',
    '-n',
    NS,
    '-l',
    `rollouts-pod-template-hash=${hash},rollout-type=Step`,
  );
  return list.items.sort(
    (a, b) => Date.parse(b.metadata.creationTimestamp) - Date.parse(a.metadata.creationTimestamp),
  );
}

const rolloutState = (lab: Lab) => kubeJson<RolloutState>(lab, 'get', 'rollout', ROLLOUT, '-n', NS);

test('a 60 s control center freeze during an analysis neither aborts nor promotes; the judge decides after it', async ({
  lab,
}) => {
  test.setTimeout(8 * 60_000);
  const op = await apiLogin(lab.url, 'operator');
  await settle(lab, op, 'webapp:v1.0');
  await startLoad(lab, op, LOAD_RPS, 900);
  expect((await action(lab, op, 'launch', { image: 'webapp:v1.1' })).status).toBeLessThan(300);
  const hash = await until('v1.1 observed', 30_000, async () => {
    const ro = await rollout(lab);
    return ro.spec.template.spec.containers[0]?.image === 'webapp:v1.1' &&
      ro.status?.currentPodHash &&
      ro.status.currentPodHash !== ro.status.stableRS
      ? ro.status.currentPodHash
      : undefined;
  });

  // The 10 % step's run has taken the judge's first answer ("pause": still gathering evidence).
  const run = await until('the 10 % analysis measuring', 90_000, async () => {
    const r = (await runsOf(lab, hash))[0];
    const m = r?.status?.metricResults?.[0];
    return r && r.status?.phase === 'Running' && (m?.count ?? 0) >= 1 ? r : undefined;
  });
  const name = run.metadata.name;
  const step = (await rolloutState(lab)).status?.currentStepIndex;
  const countBefore = run.status?.metricResults?.[0]?.count ?? 0;
  // Stored as Argo's web provider stores it: the JSON encoding of the verdict, quotes included.
  expect(run.status?.metricResults?.[0]?.measurements?.at(-1)?.value).toBe('"pause"');

  // The freeze. Its 60 s are the scenario; the lab is sampled every 2 s throughout.
  const samples: Array<{ at: number; ro: RolloutState; run?: RunJson }> = [];
  const frozenAt = Date.now();
  lab.signalControlCenter('SIGSTOP');
  try {
    await setFaults(lab, { 'v1.1': { errorRate: 0.5 } });
    for (let i = 0; i < 100 && Date.now() - frozenAt < FREEZE_MS; i++) {
      const [ro, runs] = await Promise.all([rolloutState(lab), runsOf(lab, hash)]);
      samples.push({ at: Date.now() - frozenAt, ro, run: runs.find((r) => r.metadata.name === name) });
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    lab.signalControlCenter('SIGCONT');
  }
  const thawedAt = Date.now();

  const last = samples.at(-1)?.run?.status?.metricResults?.[0];
  console.log(
    `frozen ${((thawedAt - frozenAt) / 1000).toFixed(1)} s, ${samples.length} samples; run ${name}: ` +
      `count ${last?.count}, errors ${last?.error}, consecutiveError ${last?.consecutiveError}; last message: ` +
      `${last?.measurements?.at(-1)?.message}`,
  );
  for (const s of samples) {
    const m = s.run?.status?.metricResults?.[0];
    expect.soft(s.ro.status?.abort ?? false, `not aborted at +${s.at} ms`).toBe(false);
    expect.soft(s.ro.status?.currentStepIndex, `still at step ${step} at +${s.at} ms`).toBe(step);
    expect.soft(s.run?.status?.phase, `run Running at +${s.at} ms`).toBe('Running');
    expect.soft(m?.failed ?? 0, `nothing Failed at +${s.at} ms`).toBe(0);
    expect.soft(m?.count, `errors are not measurements (count) at +${s.at} ms`).toBe(countBefore);
  }
  // Errors, one every ~15 s (5 s timeout + Argo's 10 s error retry), in a row.
  expect(last?.consecutiveError ?? 0).toBeGreaterThanOrEqual(3);
  expect(last?.consecutiveError ?? 0).toBeLessThanOrEqual(15);
  const errors = (last?.measurements ?? []).filter((m) => m.phase === 'Error');
  expect(errors.length).toBeGreaterThanOrEqual(3);
  for (const e of errors)
    expect(e.message).toMatch(
      /^Get "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/judge\?.*": context deadline exceeded \(Client\.Timeout exceeded while awaiting headers\)$/,
    );

  // Thawed: the judge answers again (the streak resets) and its verdict on the faulty canary, rollback, aborts it.
  await until('the judge answers again', 60_000, async () => {
    const m = (await runsOf(lab, hash)).find((r) => r.metadata.name === name)?.status?.metricResults?.[0];
    return m && m.consecutiveError === 0 && m.measurements?.at(-1)?.phase !== 'Error' ? true : undefined;
  });
  const decided = await until('the 10 % step decided', 120_000, async () => {
    const r = (await runsOf(lab, hash)).find((x) => x.metadata.name === name);
    return r?.status?.phase && r.status.phase !== 'Running' ? r : undefined;
  });
  expect(decided.status?.phase).toBe('Failed');
  expect(decided.status?.metricResults?.[0]?.measurements?.at(-1)?.value).toBe('"rollback"');
  const after = await until('the rollout aborted', 30_000, async () => {
    const ro = await rolloutState(lab);
    return ro.status?.abort === true ? ro : undefined;
  });
  expect(after.status?.phase === 'Paused', 'an aborted rollout is not paused').toBe(false);
  console.log(`rolled back ${((Date.now() - thawedAt) / 1000).toFixed(1)} s after the thaw`);
  await setFaults(lab, {});
  await stopLoad(lab, op);
});
