import { expect, test } from '@playwright/test';

test('the shell says no cluster is configured and how to connect one', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Control center' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Rollouts');
  await expect(page.getByRole('heading', { name: 'No cluster is configured' })).toBeVisible();
  await expect(page.getByText('KUBECONFIG=/path/to/kubeconfig')).toBeVisible();
  await expect(page.getByText('./run.sh local')).toBeVisible();
  const shot = await page.screenshot({ fullPage: true });
  await testInfo.attach('shell', { body: shot, contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
});

test('an unknown page shows a way back', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'rollouts overview' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('GET /api/health answers version and uptime', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; version: string; uptimeSeconds: number };
  expect(body.status).toBe('ok');
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
});
