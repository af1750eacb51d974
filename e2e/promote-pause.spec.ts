import { apiLogin, expect, test, until } from './lab-fixture';
import { login } from './login';
import { canaryWeight, createOwnRollout, deleteOwnRollout, rolloutOf, stableImage } from './own-rollout';

/**
 * Promote through an indefinite pause and Promote full, in the browser, on a rollout this test creates
 * (e2e/fixtures/steps-rollout.yaml: setWeight 20, pause {}, setWeight 50, pause {}, setWeight 100; no analysis, so
 * nothing but the operator's clicks moves it). Each click is checked in the page, in the Rollout and VirtualService
 * read back with kubectl, and in the audit log.
 */
const NAME = 'promote-steps';

test.afterAll(async ({ lab }) => {
  await deleteOwnRollout(lab, NAME);
});

test('Promote leaves an indefinite pause for the next step, Promote full goes to 100 % Healthy; both audited', async ({
  page,
  lab,
}) => {
  test.setTimeout(120_000);
  await createOwnRollout(lab, NAME);
  const since = new Date().toISOString();
  await login(page, 'operator');
  await page.goto(`/rollouts/demo/${NAME}`);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  const phase = page.getByTestId('rollout-phase');
  const steps = page.getByTestId('steps').getByRole('listitem');
  await expect(phase).toHaveText('Healthy');
  await expect(steps).toHaveCount(5);

  await page.getByLabel('Canary image').fill('webapp:v1.1');
  await page.getByRole('button', { name: 'Launch canary' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Launch canary' }).click();

  // Paused at step 1 (`pause: {}`), 20 % to the canary.
  await expect(phase).toHaveText('Paused', { timeout: 45_000 });
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'current');
  await expect(page.getByTestId('set-weight')).toHaveText('20 %');
  await until('the VirtualService at 20 %', 10_000, async () =>
    (await canaryWeight(lab, NAME)) === 20 ? true : undefined,
  );
  let ro = await rolloutOf(lab, NAME);
  expect(ro.status?.currentStepIndex).toBe(1);
  expect(ro.status?.pauseConditions?.map((c) => c.reason)).toEqual(['CanaryPauseStep']);
  const promote = page.getByRole('button', { name: 'Promote', exact: true });
  await expect(promote).toBeEnabled();

  await promote.click();
  await expect(page.getByRole('status').filter({ hasText: `Promote demo/${NAME}: done` })).toBeVisible();
  // One step on: setWeight 50 done, paused again at step 3.
  await expect(steps.nth(3)).toHaveAttribute('data-state', 'current', { timeout: 20_000 });
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'done');
  await expect(phase).toHaveText('Paused');
  await expect(page.getByTestId('set-weight')).toHaveText('50 %');
  await until('the VirtualService at 50 %', 10_000, async () =>
    (await canaryWeight(lab, NAME)) === 50 ? true : undefined,
  );
  ro = await rolloutOf(lab, NAME);
  expect(ro.status?.currentStepIndex).toBe(3);
  expect(ro.status?.pauseConditions?.map((c) => c.reason)).toEqual(['CanaryPauseStep']);

  await page.getByRole('button', { name: 'Promote full' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Promote demo/${NAME} fully?`);
  await dialog.getByRole('button', { name: `Promote ${NAME} fully` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Promote full demo/${NAME}: done` })).toBeVisible();
  await expect(phase).toHaveText('Healthy', { timeout: 30_000 });
  await expect(page.getByTestId('set-weight')).toHaveText('— (no canary)');
  // After the last step Promote has nothing to do.
  await expect(promote).toBeDisabled();
  ro = await rolloutOf(lab, NAME);
  expect(ro.status?.phase).toBe('Healthy');
  expect(ro.status?.currentStepIndex).toBe(5);
  expect(ro.status?.stableRS).toBe(ro.status?.currentPodHash);
  expect(ro.spec.template.spec.containers[0]?.image).toBe('webapp:v1.1');
  expect(await stableImage(lab, NAME)).toBe('webapp:v1.1');
  expect(await canaryWeight(lab, NAME)).toBe(0);

  // The audit log (as an admin) has both clicks, by the operator, answered 200, with the patches they sent.
  const admin = await apiLogin(lab.url, 'admin');
  const res = await fetch(
    `${lab.url}/api/v1/audit?${new URLSearchParams({ namespace: 'demo', since, user: 'operator' })}`,
    { headers: { cookie: admin } },
  );
  expect(res.status).toBe(200);
  const items = ((await res.json()) as { items: Array<Record<string, unknown>> }).items
    .filter((i) => i.rollout === NAME)
    .reverse();
  expect(items.map((i) => [i.action, i.status, i.role])).toEqual([
    ['launch', 200, 'operator'],
    ['promote', 200, 'operator'],
    ['promote-full', 200, 'operator'],
  ]);
  expect(items[1]?.patch).toEqual([
    { target: '/status', method: 'PATCH', type: 'merge', patch: { status: { pauseConditions: null } } },
  ]);
  expect(items[2]?.patch).toEqual([
    { target: '/status', method: 'PATCH', type: 'merge', patch: { status: { promoteFull: true } } },
  ]);
});
