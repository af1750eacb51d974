import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { login } from './login';

test('the shell says no cluster is configured and how to connect one', async ({ page }, testInfo) => {
  await login(page, 'viewer');
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
  await login(page, 'viewer');
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

test('anonymous visitors go to the login page; a wrong password says only that it failed', async ({
  page,
}) => {
  await page.goto('/rollouts/demo/webapp');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText(
    'Wrong username or password.',
  );
  await page.getByLabel('Username').fill('nobody');
  await page.getByLabel('Password').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText(
    'Wrong username or password.',
  );
  await login(page, 'admin');
  await expect(page.getByTestId('current-user')).toContainText('admin · admin');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/v1/rollouts')).status()).toBe(401);
});

test('responses carry the security headers; the API refuses anonymous requests with JSON', async ({
  request,
}) => {
  const page = await request.get('/login');
  const h = page.headers();
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy']).not.toContain('unsafe-eval');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('same-origin');
  const api = await request.get('/api/v1/rollouts');
  expect(api.status()).toBe(401);
  expect(await api.json()).toMatchObject({ error: { code: 'unauthenticated' } });
});

test('no secret or server-only code reaches the browser bundle', () => {
  const dir = path.resolve(__dirname, '../.next/static');
  const files = (d: string): string[] =>
    readdirSync(d).flatMap((f) =>
      statSync(path.join(d, f)).isDirectory() ? files(path.join(d, f)) : [path.join(d, f)],
    );
  const js = files(dir).filter((f) => f.endsWith('.js'));
  expect(js.length).toBeGreaterThan(0);
  const secret = readFileSync(path.resolve(__dirname, '../server/auth/testdata/control-center.yaml'), 'utf8');
  const hash = secret.match(/\$argon2id\$[^"']+/)?.[0] ?? 'none';
  for (const f of js) {
    const text = readFileSync(f, 'utf8');
    for (const needle of [
      'AUTH_SECRET',
      'JUDGE_TOKEN',
      'OIDC_CLIENT_SECRET',
      'passwordHash',
      '$argon2',
      hash,
      'better-sqlite3',
    ])
      expect(text.includes(needle), `${needle} in ${path.relative(dir, f)}`).toBe(false);
  }
});
