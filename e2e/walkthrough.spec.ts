import type { Page } from '@playwright/test';
import { action, rollout, settle, startLoad } from './judge-evidence';
import { apiLogin, expect, type Lab, test, until } from './lab-fixture';
import { login } from './login';

/**
 * An operator's walk through whole canaries on the lab, without reloads: load from the Load panel carries a canary
 * 10 → 30 → 60 → 100 to Healthy; a kubectl pause shows at once and Promote goes through it; a 20 % canary fault from
 * the Faults panel rolls back with the failing SLO named in the timeline; Undo returns to the stable revision.
 * Each test first sets up the state it starts from (no load, no faults, a given image stable and Healthy: settle),
 * whatever the tests before it left, so each runs alone (`-g`) or in any order.
 */
test.beforeEach(async ({ page }) => {
  await login(page, 'operator');
});

/** The operator's session for set-up through the API. */
const operator = (lab: Lab) => apiLogin(lab.url, 'operator');

/** The image of the rollout's stable ReplicaSet. */
async function stableImage(lab: Lab): Promise<string> {
  const hash = await lab.kubectl(
    'get',
    'rollout',
    'webapp',
    '-n',
    'demo',
    '-o',
    'jsonpath={.status.stableRS}',
  );
  return lab.kubectl(
    'get',
    'rs',
    '-n',
    'demo',
    '-l',
    `rollouts-pod-template-hash=${hash}`,
    '-o',
    'jsonpath={.items[0].spec.template.spec.containers[0].image}',
  );
}

/** Launch canary from the action bar, confirming the dialog. */
async function launch(page: Page, image: string): Promise<void> {
  await page.getByLabel('Canary image').fill(image);
  await page.getByRole('button', { name: 'Launch canary' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Launch canary' }).click();
}

test('load from the Load panel walks the canary 10 → 30 → 60 → 100 to Healthy, live, with charts', async ({
  page,
  lab,
}, testInfo) => {
  test.setTimeout(420_000);
  await settle(lab, await operator(lab), 'webapp:v1.0');
  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  let navigations = 0;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await expect(page.getByTestId('set-weight')).toHaveText('— (no canary)');
  await launch(page, 'webapp:v1.1');
  await expect(page.getByTestId('set-weight')).toHaveText('10 %', { timeout: 45_000 });
  const load = page.getByRole('region', { name: 'Load' });
  await load.getByLabel('Requests per second').fill('100');
  await load.getByLabel('Duration (s)').fill('600');
  await load.getByRole('button', { name: 'Start' }).click();
  await expect(load.getByTestId('load-progress')).toContainText('100 rps', { timeout: 20_000 });
  await expect(load.getByTestId('load-progress')).toContainText(/running/, { timeout: 30_000 });

  // Every weight the page shows, recorded in the page itself (a step may last less than a poll), and a screenshot at
  // each weight the polling below catches.
  await page.evaluate(() => {
    const w = window as unknown as { __weights: string[] };
    w.__weights = [];
    const note = () => {
      const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      const text = `${q('set-weight')} / ${q('actual-weight')}`;
      if (w.__weights.at(-1) !== text) w.__weights.push(text);
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  const shot: string[] = [];
  const deadline = Date.now() + 300_000; // a wait bound: on a loaded machine the judge needs longer per step
  while (Date.now() < deadline) {
    const w = (await page.getByTestId('set-weight').textContent()) ?? '';
    if (!shot.includes(w)) {
      shot.push(w);
      await page.screenshot({
        path: testInfo.outputPath(`rollout-weight-${shot.length}.png`),
        fullPage: true,
      });
    }
    if ((await page.getByTestId('rollout-phase').textContent()) === 'Healthy') break;
    await page.waitForTimeout(250);
  }
  const seen = await page.evaluate(() => (window as unknown as { __weights: string[] }).__weights);
  console.log(`weights seen: ${seen.join(' → ')}`);
  await expect(page.getByTestId('rollout-phase')).toHaveText('Healthy');
  const steps = seen.map((t) => Number.parseInt(t, 10)).filter((n) => Number.isFinite(n));
  expect(steps.filter((n, i) => [10, 30, 60].includes(n) && steps[i - 1] !== n)).toEqual([10, 30, 60]);
  // The last step (100 %) and the completion can land in one render; the decision timeline keeps the step.
  await expect(
    page
      .getByTestId('timeline')
      .getByText(/setWeight 100|→ 100 %/)
      .first(),
  ).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.getByTestId('set-weight')).toHaveText('— (no canary)');
  expect(navigations).toBe(0);
  expect(await stableImage(lab)).toBe('webapp:v1.1');

  // The charts and the topology show the traffic the load run is sending.
  const rps = page.getByTestId('chart-rps');
  // The stable version's line, drawn through at least two points.
  await expect(rps.locator('svg[data-chart="rps"] path').first()).toHaveAttribute('d', /^M[\d.]+ [\d.]+L/, {
    timeout: 20_000,
  });
  await expect(rps.getByText(/^stable \d/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('topology-stable')).toContainText(/[1-9][\d.]* rps/, { timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath('rollout-promoted.png'), fullPage: true });
  await page.goto('/');
  await expect(page.getByTestId('row-demo/webapp').first()).toContainText('Healthy');
  await page.screenshot({ path: testInfo.outputPath('overview-promoted.png'), fullPage: true });
});

test('with v1.2 launched, a kubectl pause shows on the open page at once, and Promote goes through it', async ({
  page,
  lab,
}, testInfo) => {
  test.setTimeout(150_000);
  await settle(lab, await operator(lab), 'webapp:v1.0');
  const timelineRead = page.waitForResponse((r) => r.url().includes('/timeline?') && r.ok());
  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  await launch(page, 'webapp:v1.2');
  await expect(page.getByTestId('actual-weight')).toHaveText('10 %', { timeout: 45_000 });
  // The change's own timeline line comes on the stream: with the stored timeline unreachable from now on (the page
  // read it once when it opened), the pause's line still shows.
  await timelineRead;
  await page.route('**/timeline?*', (route) => route.abort());
  const phaseLine = page.getByTestId('timeline').locator('li[data-kind="phase"]').first();
  await lab.kubectl(
    'patch',
    'rollout',
    'webapp',
    '-n',
    'demo',
    '--type',
    'merge',
    '-p',
    '{"spec":{"paused":true}}',
  );
  const patched = performance.now();
  const resume = page.getByRole('button', { name: 'Resume' });
  await expect(resume).toBeEnabled({ timeout: 5000 });
  console.log(`kubectl patch → visible on the page: ${Math.round(performance.now() - patched)} ms`);
  await expect(phaseLine).toContainText('Paused', { timeout: 5000 });
  await page.unroute('**/timeline?*');
  await page.screenshot({ path: testInfo.outputPath('rollout-paused.png'), fullPage: true });

  await page.keyboard.press('p');
  await expect(page.getByRole('status').filter({ hasText: /Promote.*: done/ })).toBeVisible();
  // The user's own action: its line (who, what) is read at once, not at the next 10 s read.
  await expect(page.getByTestId('timeline').locator('li[data-kind="action"]').first()).toContainText(
    /promoted webapp/,
    { timeout: 3000 },
  );
  // Resumed: the toggle offers Pause again.
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  await expect(pause).toBeEnabled({ timeout: 10_000 });
  const ro = (await rollout(lab)) as Awaited<ReturnType<typeof rollout>> & { spec: { paused?: boolean } };
  expect(ro.spec.paused ?? false).toBe(false);
  // Pause from the bar: the same button turns into Resume, and the user's focus stays on it.
  await pause.click();
  await expect(resume).toBeEnabled({ timeout: 5000 });
  await expect(resume).toBeFocused();
  await resume.click();
  await expect(pause).toBeEnabled({ timeout: 5000 });
  await expect(pause).toBeFocused();
  expect(ro.spec.template.spec.containers[0]?.image).toBe('webapp:v1.2');
});

test('a 20 % canary fault from the Faults panel rolls the canary back, and the timeline names the SLO', async ({
  page,
  lab,
}, testInfo) => {
  test.setTimeout(240_000);
  const cookie = await operator(lab);
  await settle(lab, cookie, 'webapp:v1.0');
  await startLoad(lab, cookie, 100, 300);
  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  // Under load, launch v1.3 and break it at once.
  await launch(page, 'webapp:v1.3');
  await expect(page.getByTestId('actual-weight')).toHaveText('10 %', { timeout: 45_000 });

  const faults = page.getByRole('region', { name: 'Faults' });
  await faults.getByLabel('Canary errors (%)').fill('20');
  await faults.getByRole('button', { name: 'Apply' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('demo/webapp');
  await dialog.getByRole('button', { name: 'Apply faults' }).click();
  await expect(faults.getByTestId('faults-now')).toContainText('v1.3 20 % errors');

  await expect(page.getByTestId('rollout-phase')).toHaveText('Degraded', { timeout: 120_000 });
  await expect(page.getByTestId('actual-weight')).toHaveText('0 %', { timeout: 20_000 });
  expect(await stableImage(lab)).toBe('webapp:v1.0');
  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByText(/ROLLBACK — .*error/).first()).toBeVisible({ timeout: 20_000 });
  // A long timeline lays out and paints only the lines in its view (content-visibility: a line out of view stands at a
  // guessed height until it comes in). Scrolling to either end, the user reads that end's line whole.
  expect(await timeline.evaluate((ol) => ol.scrollHeight > 1.5 * ol.clientHeight)).toBe(true);
  for (const end of ['last', 'first'] as const) {
    const line = timeline.locator('li')[end]();
    await expect(async () => {
      await timeline.evaluate((ol, e) => ol.scrollTo({ top: e === 'last' ? ol.scrollHeight : 0 }), end);
      await expect(line.locator('div')).toBeInViewport({ ratio: 1, timeout: 1000 });
    }).toPass({ timeout: 10_000 });
    await expect(line).toContainText(/\w{3}/);
  }
  await expect(page.getByTestId('chart-%').getByText(/^canary [1-9]/)).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('rollout-rolled-back.png'), fullPage: true });

  // Clean up for whoever comes next: clear the fault and stop the load run.
  await faults.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Clear faults' }).click();
  await expect(faults.getByTestId('faults-now')).toHaveText('Now: no faults set.');
  const load = page.getByRole('region', { name: 'Load' });
  await load.getByRole('button', { name: 'Stop' }).click();
  // The Job is deleted: the panel no longer shows a running load.
  await expect(load.getByText('running', { exact: true })).toHaveCount(0, { timeout: 30_000 });
});

test('Undo ▾ goes back to the stable revision: the template is the stable image again and the rollout Healthy', async ({
  page,
  lab,
}, testInfo) => {
  test.setTimeout(180_000);
  // Set-up: v1.1 stable, a v1.2 canary launched and aborted (Degraded, the template still v1.2).
  const cookie = await operator(lab);
  await settle(lab, cookie, 'webapp:v1.1');
  const launched = await action(lab, cookie, 'launch', { image: 'webapp:v1.2' });
  expect(launched.status, await launched.clone().text()).toBe(200);
  const step = () =>
    lab.kubectl('get', 'rollout', 'webapp', '-n', 'demo', '-o', 'jsonpath={.status.currentStepIndex}');
  await until('the v1.2 canary at step 1', 45_000, async () =>
    Number(await step()) >= 1 ? true : undefined,
  );
  const aborted = await action(lab, cookie, 'abort');
  expect(aborted.status, await aborted.clone().text()).toBe(200);
  await until('Degraded after the abort', 30_000, async () =>
    (await rollout(lab)).status?.phase === 'Degraded' ? true : undefined,
  );
  expect(await stableImage(lab)).toBe('webapp:v1.1');

  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  await page.getByText('Undo ▾').click();
  await page.getByRole('button', { name: /revision \d+ · webapp:v1\.1$/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('webapp:v1.1');
  await dialog.getByRole('button', { name: /Undo to revision/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Undo demo/webapp: done' })).toBeVisible();
  await expect(page.getByTestId('rollout-phase')).toHaveText('Healthy', { timeout: 60_000 });
  const ro = await rollout(lab);
  expect(ro.spec.template.spec.containers[0]?.image).toBe('webapp:v1.1');
  expect(await stableImage(lab)).toBe('webapp:v1.1');
  await page.screenshot({ path: testInfo.outputPath('rollout-undone.png'), fullPage: true });
});
