import { expect, test } from '@playwright/test';

/**
 * Attack class 2 (open redirect after login): `/login?callbackUrl=/%09/evil.example` passed the return-path check
 * and the login form sent the signed-in user to evil.example (the browser drops the tab: `//evil.example`). Each
 * tricky return path is tried through the real login form in Chromium; the user must end on this origin, and no
 * request may leave for the attacker's host.
 */
const TRICKS = [
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%5Cevil.example',
  '/%2F%2Fevil.example',
  '%2F%2Fevil.example',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example/',
  '/%252F%252Fevil.example',
];

for (const trick of TRICKS) {
  test(`the login form with callbackUrl=${trick} stays on this origin`, async ({ page, baseURL }) => {
    const leaks: string[] = [];
    // Anything for the attacker's host is answered here (and noted), never fetched from the network.
    await page.route(
      (url) => url.hostname.endsWith('evil.example'),
      async (route) => {
        leaks.push(route.request().url());
        await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' });
      },
    );
    await page.goto(`/login?callbackUrl=${trick}`);
    await page.getByLabel('Username').fill('viewer');
    await page.getByLabel('Password').fill('viewer-password-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    // Read back: where the browser is now, and that it never asked the attacker's host for anything.
    const now = new URL(page.url());
    expect(now.origin).toBe(new URL(baseURL ?? '').origin);
    expect(now.pathname).toBe('/');
    await expect(page.getByTestId('current-user')).toContainText('viewer');
    expect(leaks).toEqual([]);
  });
}

test('a same-origin return path still works', async ({ page, baseURL }) => {
  await page.goto('/login?callbackUrl=%2Faudit%3Fuser%3Dadmin');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/audit');
  expect(page.url()).toBe(`${baseURL}/audit?user=admin`);
});
