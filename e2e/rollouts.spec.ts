import { apiLogin, expect, test } from './lab-fixture';
import { login } from './login';

/**
 * The two pages against a real lab: overview, rollout page, a canary launched from the UI (live, no reload), abort
 * with confirmation, a disabled button that says why. Serial: each step builds on the rollout's state before it.
 */
test.describe.configure({ mode: 'serial' });

// An operator drives the canary; the tests at the end look at it as a viewer and an admin.
test.beforeEach(async ({ page }, testInfo) => {
  if (!testInfo.title.startsWith('[viewer]') && !testInfo.title.startsWith('[admin]'))
    await login(page, 'operator');
});

test('the overview lists demo/webapp as Healthy, live', async ({ page }, testInfo) => {
  await page.goto('/');
  const row = page.getByTestId('row-demo/webapp').first();
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toContainText('Healthy');
  await expect(row.getByRole('link', { name: 'demo/webapp' })).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  await expect(page.getByRole('heading', { name: /All rollouts \(1\)/ })).toBeVisible();
  // `/` focuses the search box; a search that matches nothing says so.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search rollouts' })).toBeFocused();
  await page.keyboard.type('nothing-like-this');
  await expect(page.getByText('No rollout matches the search.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox', { name: 'Search rollouts' }).fill('');
  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
});

test('the rollout page shows steps, the Healthy badge and why buttons are disabled', async ({
  page,
}, testInfo) => {
  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('webapp');
  await expect(page.getByTestId('rollout-phase')).toHaveText('Healthy');
  const steps = page.getByTestId('steps').getByRole('listitem');
  await expect(steps).toHaveCount(7);
  await expect(steps.first()).toContainText('setWeight 10');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  const abort = page.getByRole('button', { name: 'Abort' });
  await expect(abort).toBeDisabled();
  await expect(abort).toHaveAccessibleDescription(/healthy with nothing in progress/);
  await expect(abort).toHaveAttribute('title', /healthy with nothing in progress/);
  await expect(page.getByText('no canary in progress')).toBeVisible();
  const tools = page.getByRole('navigation', { name: 'External tools' });
  await expect(tools.getByRole('link', { name: 'Grafana' })).toHaveAttribute(
    'href',
    'http://127.0.0.1:3000/d/canary?var-namespace=demo&var-rollout=webapp&to=now',
  );
  await expect(tools.getByRole('link', { name: 'Argo CD' })).toHaveAttribute(
    'href',
    'http://127.0.0.1:8080/applications/argocd/webapp',
  );
  await page.screenshot({ path: testInfo.outputPath('rollout-healthy.png'), fullPage: true });
});

test('a bad image is refused before anything is sent', async ({ page }) => {
  await page.goto('/rollouts/demo/webapp');
  await page.getByLabel('Canary image').fill('Not An Image!');
  await page.getByRole('button', { name: 'Launch canary' }).click();
  await expect(page.getByText(/must be an image reference/)).toBeVisible();
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('launching webapp:v1.1 from the UI shows Progressing and canary weight without reload', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  let navigations = 0;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await page.getByLabel('Canary image').fill('webapp:v1.1');
  await page.getByRole('button', { name: 'Launch canary' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('demo/webapp');
  await dialog.getByRole('button', { name: 'Launch canary' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Launch webapp:v1.1: done' })).toBeVisible();
  await expect(page.getByTestId('rollout-phase')).toHaveText(/Progressing|Paused/, { timeout: 20_000 });
  await expect(page.getByText('webapp:v1.1').first()).toBeVisible();
  await expect(page.getByTestId('actual-weight')).toHaveText(/^[1-9]\d* %$/, { timeout: 45_000 });
  await expect(page.getByTestId('set-weight')).toHaveText(/^[1-9]\d* %$/);
  expect(navigations).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('rollout-canary.png'), fullPage: true });
  // Dark mode keeps the colour meanings.
  await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.screenshot({ path: testInfo.outputPath('rollout-canary-dark.png'), fullPage: true });
});

test('abort asks for confirmation naming the rollout, then shows Degraded / aborted', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  await page.goto('/rollouts/demo/webapp');
  const abort = page.getByRole('button', { name: 'Abort' });
  await expect(abort).toBeEnabled({ timeout: 10_000 });
  // Hydrated (the live stream is up), so the keyboard shortcut's listener is attached.
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  // The keyboard shortcut opens the same confirmation; Cancel changes nothing.
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Abort the canary of demo/webapp?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rollout-aborted')).toHaveCount(0);

  await abort.click();
  await expect(dialog).toContainText('demo/webapp');
  await page.screenshot({ path: testInfo.outputPath('abort-confirm.png') });
  await dialog.getByRole('button', { name: 'Abort webapp' }).click();
  await expect(page.getByTestId('rollout-aborted')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('rollout-phase')).toHaveText('Degraded', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Abort' })).toHaveAccessibleDescription(/already aborted/);
  await expect(page.getByRole('button', { name: 'Retry' })).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('rollout-aborted.png'), fullPage: true });

  // The overview puts it under "Needs attention".
  await page.goto('/');
  const attention = page.getByRole('region', { name: /Needs attention/ });
  await expect(attention.getByTestId('row-demo/webapp')).toContainText('Degraded');
  await page.screenshot({ path: testInfo.outputPath('overview-attention.png'), fullPage: true });
});

test('an unknown rollout shows not found, with status 404', async ({ page }) => {
  const res = await page.goto('/rollouts/demo/no-such-rollout');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Rollout not found' })).toBeVisible();
});

test('[viewer] sees the action buttons disabled with the role as the reason', async ({ page }) => {
  await login(page, 'viewer');
  await page.goto('/rollouts/demo/webapp');
  await expect(page.getByTestId('current-user')).toContainText('viewer · viewer');
  await expect(page.getByTestId('rollout-phase')).toHaveText('Degraded', { timeout: 20_000 });
  for (const name of ['Retry', 'Abort', 'Promote', 'Restart', 'Launch canary']) {
    const button = page.getByRole('button', { name, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(/your role \(viewer\) is read-only/);
  }
  await expect(page.getByLabel('Canary image')).toBeDisabled();
  // Not only hidden: the server refuses too.
  const res = await page.request.post('/api/v1/rollouts/demo/webapp/retry', {
    headers: { 'x-requested-with': 'control-center' },
  });
  expect(res.status()).toBe(403);
  await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
});

test("[admin] the audit page lists the operator's abort with filters and exports JSON lines", async ({
  page,
}, testInfo) => {
  await login(page, 'admin');
  await page.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(
    rows.filter({ hasText: 'abort' }).filter({ hasText: 'operator (operator)' }).first(),
  ).toBeVisible();
  await page.locator('select[name="action"]').selectOption('abort');
  await page.getByRole('textbox', { name: 'User', exact: true }).fill('operator');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=abort/);
  await expect(rows.first()).toContainText('demo/webapp');
  await expect(rows.filter({ hasNotText: 'abort' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: true });
  const href = await page.getByRole('link', { name: 'Export JSON lines' }).getAttribute('href');
  const res = await page.request.get(href ?? '');
  expect(res.headers()['content-type']).toMatch(/application\/x-ndjson/);
  const lines = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; actor: string });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.action === 'abort' && l.actor === 'operator')).toBe(true);
});

test('[admin] an action is in the audit log even when the control center is killed right after it', async ({
  lab,
}) => {
  const operator = await apiLogin(lab.url, 'operator');
  const res = await fetch(`${lab.url}/api/v1/rollouts/demo/webapp/retry`, {
    method: 'POST',
    headers: { cookie: operator, 'x-requested-with': 'control-center', origin: lab.url },
  });
  expect(res.status).toBe(200);
  await lab.restartControlCenter(); // SIGKILL at once: no shutdown hook runs
  const admin = await apiLogin(lab.url, 'admin');
  const audit = await fetch(`${lab.url}/api/v1/audit?action=retry&user=operator`, {
    headers: { cookie: admin },
  });
  const { items } = (await audit.json()) as { items: Array<{ actor: string; role: string; status: number }> };
  expect(items[0]).toMatchObject({ actor: 'operator', role: 'operator', status: 200 });
});
