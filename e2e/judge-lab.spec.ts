import { writeFileSync } from 'node:fs';
import { served } from '../scripts/canary/holds';
import {
  action,
  CanaryEvidence,
  holdText,
  MIN_CANARY_REQUESTS,
  MIN_STEP_SECONDS,
  replicaSetOf,
  restartGateway,
  rollout,
  setFaults,
  settle,
  startLoad,
  stepRuns,
  stopLoad,
  weightAt,
} from './judge-evidence';
import { apiLogin, expect, type Lab, test, until } from './lab-fixture';
import { login } from './login';

/**
 * The judge deciding on the lab, end to end: real Prometheus (the lab's, scraping its gateway every 5 s), the
 * control center's GET /api/v1/judge called by the lab controller's AnalysisRuns (manifests/app: the judge template,
 * steps 10 → 30 → 60 → 100 with an analysis after each), real load from loadgen (a Job started from the Load route,
 * 100 rps), faults from the webapp-faults ConfigMap. What the judge decided is checked against what the lab observed
 * on its own: the VirtualService's weight from a watch, the canary's request counters read straight from the gateway
 * every second, the AnalysisRuns' times and measurements (e2e/judge-evidence.ts).
 *
 * Each test sets up its own state (settle: no load, no faults, a given image stable and Healthy), so either runs alone.
 * - relaunch: the story is "v1.0 stable, a faulty v1.1 rolled back, then v1.0 relaunched". With v1.0 still
 *   the stable ReplicaSet that relaunch is a rollback to stable, which Argo (and the lab) completes at once without
 *   steps or analysis: nothing for the judge to decide. So v1.1 is made stable first (promoted in full, set-up), the
 *   faulty canary is v1.2, and the relaunch of the previous healthy v1.0 reuses its old ReplicaSet on the canary
 *   Service that just served v1.2's errors: the attribution case the issue describes.
 * - per step: every promoted canary here (the relaunch, and v1.1 in the second test) is checked at 30 % and 60 %.
 * - gateway restart: `kubectl rollout restart` of istio-system/istio-ingressgateway, as on a real cluster; the lab
 *   restarts its gateway's proxy on a pod-template change (lab/gateway/ingress-gateway.ts): its istio_*
 *   counters start again from 0 in the same series, which Prometheus sees as a counter reset.
 * Budget: about 2.5 min per test at 100 rps on an idle 2-core machine, all steps at full length (no step is
 * shortened: each analysed step needs ≥ 30 s at its weight, the 10 % step ~45 s for the error test's evidence at
 * 10 canary rps). On a loaded machine the latency test needs longer (bursty slow windows): the timeouts allow it.
 */
test.use({ labOptions: { prometheus: true } });

const LOAD_RPS = 100;

/**
 * Promoted through 30 % and 60 %: each weight held ≥ 30 s (real time, from the VirtualService watch) with ≥ 100
 * canary requests (counted at the gateway), and so did the judge's step (its AnalysisRun, to the millisecond from the
 * run watch, and at the API's 1 s resolution). Real time, not whole seconds: creationTimestamp is truncated to the
 * second, so a judge that counts a step from it (rather than from the end of that second) can promote after 29.x s.
 * Soft assertions: every step is checked and reported.
 */
async function expectStepsHeld(lab: Lab, ev: CanaryEvidence, since: number, hash: string, revision: string) {
  const ro = await rollout(lab);
  const steps = ro.spec.strategy.canary.steps;
  const holds = ev.holds(since);
  const runs = await stepRuns(lab, hash, revision);
  console.log(`holds: ${holds.map(holdText).join(' | ')}`);
  for (const h of holds) {
    const run = runs.find((r) => weightAt(steps, r.stepIndex) === h.weight);
    const seen = run ? ev.runSeen.get(run.name) : undefined;
    const reports = ev.reports.filter((r) => r.canaryHash === hash && r.weight === h.weight && r.step);
    const last = reports.at(-1);
    const atGateway = last?.step
      ? served(ev.canarySeries(), last.step.start * 1000, last.at, 'estimate')
      : null;
    console.log(
      `  ${h.weight} %: VirtualService ${h.seconds.toFixed(3)} s, ≥ ${h.requests} canary requests at the gateway` +
        (run
          ? `; run ${run.name} ${run.phase} ${run.value}, ${((run.finished ?? 0) - run.created) / 1000} s by its timestamps, ${seen?.decided ? ((seen.decided - seen.added) / 1000).toFixed(3) : '?'} s created → promote seen`
          : '') +
        (last?.step
          ? `; judge's last report ${last.verdict}: ${last.step.seconds} s, ${last.step.requests} requests (gateway: ${Math.round(atGateway ?? 0)}); data issues: ${[...new Set(reports.flatMap((r) => r.dataIssues))].join('; ') || 'none'}`
          : ''),
    );
  }
  for (const w of [30, 60]) {
    const hold = holds.find((h) => h.weight === w);
    const run = runs.find((r) => weightAt(steps, r.stepIndex) === w);
    if (!hold || !run)
      throw new Error(`no hold or no AnalysisRun at ${w} %: ${holds.map(holdText).join(' | ')}`);
    // The lab's own view: the VirtualService kept the weight, and the gateway counted the canary's requests there.
    expect.soft(hold.end, `${w} % ended by a promotion`).toBe('promoted');
    expect
      .soft(hold.seconds, `seconds at ${w} % (VirtualService watch)`)
      .toBeGreaterThanOrEqual(MIN_STEP_SECONDS);
    expect
      .soft(hold.requests ?? 0, `canary requests at ${w} % (gateway counters)`)
      .toBeGreaterThanOrEqual(MIN_CANARY_REQUESTS);
    // The judge's step: its AnalysisRun began after the weight was set, and its "promote" came ≥ 30 s and ≥ 100
    // canary requests after that: to the millisecond (watch arrival times) and by the run's own timestamps (1 s).
    expect.soft(run.phase).toBe('Successful');
    expect.soft(run.value).toBe('promote');
    expect
      .soft(run.created, `the ${w} % run starts after the weight change`)
      .toBeGreaterThanOrEqual(hold.from - 1100);
    const seen = ev.runSeen.get(run.name);
    expect
      .soft((seen?.decided ?? 0) - (seen?.added ?? 0), `${w} % run: created → promote seen (ms)`)
      .toBeGreaterThanOrEqual(MIN_STEP_SECONDS * 1000);
    const promotedAt = run.finished ?? 0;
    expect
      .soft(promotedAt - run.created, `${w} % run: creationTimestamp → promote finishedAt (ms)`)
      .toBeGreaterThanOrEqual(MIN_STEP_SECONDS * 1000);
    expect
      .soft(
        ev.served(Math.max(run.created, hold.from), promotedAt + 1000),
        `canary requests in the ${w} % run`,
      )
      .toBeGreaterThanOrEqual(MIN_CANARY_REQUESTS);
    // What the judge reported at this weight: evidence read from Prometheus, its step never older than the weight.
    const reports = ev.reports.filter((r) => r.canaryHash === hash && r.weight === w && r.step);
    expect.soft(reports.length, `judge reports at ${w} %`).toBeGreaterThan(0);
    for (const r of reports) {
      expect.soft(r.metrics).toBe('prometheus');
      expect
        .soft((r.step?.start ?? 0) * 1000, `the judge's step start at ${w} %`)
        .toBeGreaterThanOrEqual(hold.from - 1100);
    }
  }
}

/** Waits for the canary to be rolled back: aborted, Degraded, no traffic to the canary. */
async function rolledBack(lab: Lab, ev: CanaryEvidence, image: string, timeoutMs: number) {
  return until(`${image} rolled back`, timeoutMs, async () => {
    const ro = await rollout(lab);
    const weight = ev.weights.at(-1)?.weight;
    return ro.status?.phase === 'Degraded' && ro.status.abort === true && weight === 0 ? ro : undefined;
  });
}

/** The launch of `image` is observed by the controller; returns its pod-template hash and revision. */
async function launched(lab: Lab, image: string): Promise<{ hash: string; revision: string }> {
  const hash = await until(`${image} observed`, 30_000, async () => {
    const ro = await rollout(lab);
    const ok =
      ro.spec.template.spec.containers[0]?.image === image &&
      String(ro.status?.observedGeneration ?? '') === String(ro.metadata.generation ?? '');
    return ok ? ro.status?.currentPodHash : undefined;
  });
  return { hash, revision: (await replicaSetOf(lab, hash)).revision };
}

/** The load run's traffic reaches the gateway (so the canary is judged beside a stable with traffic). */
async function loadFlowing(lab: Lab, op: string) {
  await startLoad(lab, op, LOAD_RPS, 900);
  await until('load at the gateway', 60_000, async () => {
    const res = await fetch(`${lab.gatewayUrl}/stats/prometheus`);
    const text = await res.text();
    const total = (t: string) =>
      t
        .split('\n')
        .filter((l) => l.startsWith('istio_requests_total{'))
        .reduce((a, l) => a + Number(l.slice(l.lastIndexOf('}') + 1)), 0);
    const before = total(text);
    await new Promise((r) => setTimeout(r, 1000));
    return total(await (await fetch(`${lab.gatewayUrl}/stats/prometheus`)).text()) - before >= LOAD_RPS / 2
      ? true
      : undefined;
  });
}

test('relaunch: after the judge rolls back a faulty v1.2, the previous healthy v1.0 (its ReplicaSet reused) relaunched from the UI is promoted, 30 % and 60 % each held ≥ 30 s and ≥ 100 canary requests', async ({
  page,
  lab,
}, testInfo) => {
  test.setTimeout(12 * 60_000);
  const op = await apiLogin(lab.url, 'operator');
  const viewer = await apiLogin(lab.url, 'viewer');
  // v1.1 stable with v1.0 the previous healthy release (its ReplicaSet kept, scaled down): the story starts there.
  // v1.0 → v1.1 is set-up here (promoted in full, no analysis); the judged canary of it is the next test's story.
  await settle(lab, op, 'webapp:v1.0');
  const v10 = (await rollout(lab)).status?.stableRS ?? '';
  const v10Before = await replicaSetOf(lab, v10);
  await settle(lab, op, 'webapp:v1.1');

  const ev = new CanaryEvidence(lab, viewer);
  try {
    await ev.ready();
    await setFaults(lab, { 'v1.2': { errorRate: 0.1 } });
    await loadFlowing(lab, op);

    // A canary of v1.2 answering 10 % errors: the judge rolls it back at the first step.
    const t0 = Date.now();
    expect((await action(lab, op, 'launch', { image: 'webapp:v1.2' })).status).toBeLessThan(300);
    const bad = await launched(lab, 'webapp:v1.2');
    await rolledBack(lab, ev, 'webapp:v1.2', 180_000);
    const badRuns = await stepRuns(lab, bad.hash, bad.revision);
    expect(badRuns.map((r) => [r.phase, r.value])).toEqual([['Failed', 'rollback']]);
    expect(ev.maxWeight(t0), 'v1.2 never got past 10 %').toBe(10);
    const errorsServed = ev.served(t0, Date.now());
    console.log(
      `v1.2 rolled back after ${((Date.now() - t0) / 1000).toFixed(1)} s (${errorsServed} canary requests)`,
    );
    await setFaults(lab, {});

    // The relaunch of v1.0 from the UI, on the canary Service that just served v1.2's errors.
    await login(page, 'operator');
    await page.goto('/rollouts/demo/webapp');
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', {
      timeout: 10_000,
    });
    const t1 = Date.now();
    await page.getByLabel('Canary image').fill('webapp:v1.0');
    await page.getByRole('button', { name: 'Launch canary' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Launch canary' }).click();
    const relaunch = await launched(lab, 'webapp:v1.0');
    expect(relaunch.hash).toBe(v10);
    const v10After = await replicaSetOf(lab, v10);
    expect(v10After.name, 'the ReplicaSet of v1.0 is reused').toBe(v10Before.name);
    expect(Number(v10After.revision)).toBeGreaterThan(Number(v10Before.revision));

    // The page shows the judge's step evidence at the canary's weight, then the promotion.
    await expect(page.getByTestId('slo-step')).toContainText(/at 10 %: \d+ s, [\d,]+ requests/, {
      timeout: 60_000,
    });
    await page.screenshot({ path: testInfo.outputPath('relaunch-10.png'), fullPage: true });
    await expect(page.getByTestId('rollout-phase')).toHaveText('Healthy', { timeout: 8 * 60_000 });
    await page.screenshot({ path: testInfo.outputPath('relaunch-healthy.png'), fullPage: true });
    const ro = await rollout(lab);
    expect(ro.status?.stableRS).toBe(v10);
    console.log(`v1.0 relaunch promoted after ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    // Every step of the relaunch was promoted, none rolled back; the judge never counted v1.2's traffic for it.
    const runs = await stepRuns(lab, v10, v10After.revision);
    expect(runs.map((r) => [r.phase, r.value])).toEqual([
      ['Successful', 'promote'],
      ['Successful', 'promote'],
      ['Successful', 'promote'],
    ]);
    const mine = ev.reports.filter((r) => r.canaryHash === v10 && r.at >= t1);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((r) => r.verdict === 'rollback')).toEqual([]);
    for (const r of mine)
      expect(r.since * 1000, 'evidence starts at the relaunch').toBeGreaterThanOrEqual(t1 - 1000);
    await expectStepsHeld(lab, ev, t1, v10, v10After.revision);
  } finally {
    await ev.stop();
    writeFileSync(testInfo.outputPath('judge-evidence.json'), JSON.stringify(ev.snapshot()));
    await stopLoad(lab, op);
  }
});

test("gateway restarts change no decision, and the seed's order: v1.0 → v1.1 promoted through a restart at 30 %; the faulty v1.0 relaunched after it rolled back through a restart, never promoted", async ({
  lab,
}, testInfo) => {
  test.setTimeout(12 * 60_000);
  const op = await apiLogin(lab.url, 'operator');
  const viewer = await apiLogin(lab.url, 'viewer');
  await settle(lab, op, 'webapp:v1.0');
  const ev = new CanaryEvidence(lab, viewer);
  try {
    await ev.ready();
    await loadFlowing(lab, op);

    // ./run.sh canary-success: v1.0 → v1.1, healthy. Mid-way through the 30 % step the ingress gateway restarts.
    const t0 = Date.now();
    expect((await action(lab, op, 'launch', { image: 'webapp:v1.1' })).status).toBeLessThan(300);
    const good = await launched(lab, 'webapp:v1.1');
    const at30 = await until('10 s into the 30 % step', 4 * 60_000, async () => {
      const w = ev.weights.at(-1);
      return w?.weight === 30 && Date.now() - w.at >= 10_000 ? w.at : undefined;
    });
    await restartAndSeeReset(lab, ev);
    console.log(`gateway restarted ${((Date.now() - at30) / 1000).toFixed(1)} s into 30 %`);
    await until('v1.1 Healthy', 8 * 60_000, async () => {
      const ro = await rollout(lab);
      return ro.status?.phase === 'Healthy' && ro.status.stableRS === good.hash ? true : undefined;
    });
    console.log(`v1.1 promoted after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const runs = await stepRuns(lab, good.hash, good.revision);
    expect(runs.map((r) => [r.phase, r.value])).toEqual([
      ['Successful', 'promote'],
      ['Successful', 'promote'],
      ['Successful', 'promote'],
    ]);
    await expectStepsHeld(lab, ev, t0, good.hash, good.revision);
    await expectPrometheusSawReset(lab);

    // ./run.sh canary-failure next: v1.0 (its ReplicaSet reused) with 10 % errors, after v1.1's clean canary traffic.
    // The gateway restarts once the canary has served some of its errors; the judge still rolls it back.
    await setFaults(lab, { 'v1.0': { errorRate: 0.1 } });
    const t1 = Date.now();
    expect((await action(lab, op, 'launch', { image: 'webapp:v1.0' })).status).toBeLessThan(300);
    const bad = await launched(lab, 'webapp:v1.0');
    const firstTraffic = await until('the faulty canary serving', 60_000, async () => {
      const w = ev.weights.filter((x) => x.at >= t1).find((x) => x.weight > 0);
      return w && ev.served(w.at, Date.now()) >= 50 ? w.at : undefined;
    });
    await restartAndSeeReset(lab, ev);
    await rolledBack(lab, ev, 'webapp:v1.0', 3 * 60_000);
    console.log(
      `faulty v1.0 rolled back ${((Date.now() - firstTraffic) / 1000).toFixed(1)} s after its first traffic`,
    );
    expect(ev.maxWeight(t1), 'the faulty v1.0 never got past 10 %').toBe(10);
    const badRuns = await stepRuns(lab, bad.hash, bad.revision);
    expect(badRuns.map((r) => [r.phase, r.value])).toEqual([['Failed', 'rollback']]);
    const mine = ev.reports.filter((r) => r.canaryHash === bad.hash && r.at >= t1);
    expect(mine.filter((r) => r.verdict === 'promote')).toEqual([]);
  } finally {
    await ev.stop();
    writeFileSync(testInfo.outputPath('judge-evidence.json'), JSON.stringify(ev.snapshot()));
    await stopLoad(lab, op);
    await setFaults(lab, {});
  }
});

/** `kubectl rollout restart` of the ingress gateway, and the gateway's canary counters seen starting again from 0. */
async function restartAndSeeReset(lab: Lab, ev: CanaryEvidence) {
  const before = ev.lastRawTotal();
  expect(before, 'canary requests counted before the restart').toBeGreaterThan(0);
  await restartGateway(lab);
  await until('the gateway counters reset', 15_000, async () =>
    ev.lastRawTotal() < before ? true : undefined,
  );
}

/** The judge's input had the reset in it: Prometheus holds a counter reset of the canary's series. */
async function expectPrometheusSawReset(lab: Lab) {
  const q =
    'sum(resets(istio_requests_total{reporter="source",destination_service_name="webapp-canary"}[15m]))';
  const res = await fetch(`${lab.prometheusUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  expect(Number(body.data.result[0]?.value[1] ?? 0)).toBeGreaterThan(0);
}
