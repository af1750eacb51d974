import { randomBytes } from 'node:crypto';
import { expect, type Page, type Response, test } from '@playwright/test';
import { E2E_CONFIG, freePort, startControlCenter } from './lab-fixture';
import { login } from './login';

/** The sources of one directive of a Content-Security-Policy. */
function directive(csp: string, name: string): string[] {
  const found = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name);
  return found?.slice(1) ?? [];
}

/** Collects what the browser reports about the Content Security Policy (blocked scripts, styles, eval). */
function cspReports(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(msg.text());
  });
  page.on('pageerror', (err) => {
    if (/Content Security Policy|unsafe-eval/i.test(err.message)) seen.push(err.message);
  });
  return seen;
}

/** The page's CSP: a nonce in script-src, no unsafe-inline/unsafe-eval; every script tag of the HTML carries it. */
async function expectNoncedPolicy(res: Response | null): Promise<string> {
  expect(res, 'a document response').not.toBeNull();
  const csp = (await res?.headerValue('content-security-policy')) ?? '';
  const scriptSrc = directive(csp, 'script-src');
  const nonce = scriptSrc.map((s) => /^'nonce-(.+)'$/.exec(s)?.[1]).find(Boolean) ?? '';
  expect(nonce, `a nonce in ${csp}`).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(csp).not.toContain('unsafe-eval');
  expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
  // The HTML as sent: Next's runtime, chunks and streamed payload, and the theme script, all with this nonce.
  const html = (await res?.text()) ?? '';
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, 'every script tag has the nonce').toContain(`nonce="${nonce}"`);
  return nonce;
}

/** The page is hydrated: the theme toggle (a client component) works, and the nonced theme script applies it on load. */
async function expectHydrated(page: Page): Promise<void> {
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: 'Toggle dark mode' });
  const wasDark = /\bdark\b/.test((await html.getAttribute('class')) ?? '');
  await toggle.click();
  await expect(html).toHaveClass(wasDark ? /^(?!.*\bdark\b)/ : /\bdark\b/);
  await toggle.click();
  await expect(html).toHaveClass(wasDark ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}

test.describe('Content Security Policy with a nonce per request', () => {
  test('login page: nonced policy, hydrated, a sign-in works, nothing blocked', async ({ page }) => {
    const reports = cspReports(page);
    const first = await expectNoncedPolicy(await page.goto('/login'));
    await expectHydrated(page);
    const second = await expectNoncedPolicy(await page.reload());
    expect(second, 'a fresh nonce per request').not.toBe(first);
    // The form signs in through next-auth's client code (only when hydrated; otherwise it would submit natively).
    await login(page, 'viewer');
    expect(reports).toEqual([]);
  });

  test('overview, rollout, audit and not-found pages: nonced policy, hydrated, nothing blocked', async ({
    page,
  }) => {
    const reports = cspReports(page);
    await login(page, 'admin');
    for (const path of ['/', '/rollouts/demo/webapp', '/audit', '/no-such-page']) {
      await test.step(path, async () => {
        await expectNoncedPolicy(await page.goto(path));
        await expectHydrated(page);
      });
    }
    // The theme choice is applied by the inline theme script before paint: it runs only with its nonce.
    await page.getByRole('button', { name: 'Toggle dark mode' }).click();
    const dark = /\bdark\b/.test((await page.locator('html').getAttribute('class')) ?? '');
    await page.goto('/');
    await expect(page.locator('html')).toHaveClass(dark ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    // Client-side navigation (RSC requests through the proxy) keeps working.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    expect(reports).toEqual([]);
  });

  test('injected markup cannot run script, and the browser reports it (the listener above sees violations)', async ({
    page,
  }) => {
    const reports = cspReports(page);
    await page.goto('/login');
    // The classic XSS shape: HTML with an inline event handler ends up in the DOM.
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.innerHTML = '<img src="data:," onerror="window.__injected = true">';
      document.body.append(box);
    });
    await expect.poll(() => reports.length).toBeGreaterThan(0);
    expect(reports[0]).toContain("'nonce-");
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
  });

  test('API responses keep their closed policy and their bearer/session checks', async ({ request }) => {
    const api = await request.get('/api/v1/rollouts');
    expect(api.status()).toBe(401);
    expect(api.headers()['content-security-policy']).toContain("default-src 'none'");
    // This server has no JUDGE_TOKEN (playwright.config.ts): the judge is off, whatever the caller sends.
    const judge = await request.get('/api/v1/judge', { headers: { authorization: 'Bearer wrong' } });
    expect(judge.status()).toBe(503);
    expect((await judge.json()).error.code).toBe('judge_disabled');
    expect(judge.headers()['content-security-policy']).toContain("default-src 'none'");
  });

  test('the judge with a configured JUDGE_TOKEN: exactly 401 for a wrong, missing or non-bearer token', async ({
    request,
  }, testInfo) => {
    // A second production server, as the first but with a judge token (the config's webServer has none).
    const token = `e2e-judge-${randomBytes(16).toString('hex')}`;
    const port = await freePort();
    const cc = await startControlCenter(
      port,
      {
        KUBECONFIG: '',
        KUBERNETES_SERVICE_HOST: '',
        JUDGE_TOKEN: token,
        CONTROL_CENTER_CONFIG: E2E_CONFIG,
        CONTROL_CENTER_DATA_DIR: testInfo.outputPath('cc-data'),
        AUTH_SECRET: `e2e-judge-${randomBytes(16).toString('hex')}`,
      },
      testInfo.outputPath('control-center.log'),
    );
    try {
      const since = Math.floor(Date.now() / 1000) - 60;
      const url = `http://127.0.0.1:${port}/api/v1/judge?namespace=demo&canaryService=webapp-canary&stableService=webapp-stable&since=${since}`;
      for (const authorization of ['Bearer wrong', `Bearer ${token}x`, `Basic ${token}`, undefined]) {
        const res = await request.get(url, { headers: authorization ? { authorization } : {} });
        expect(res.status(), `Authorization: ${authorization ?? '(none)'}`).toBe(401);
        expect(await res.json()).toEqual({
          error: { code: 'unauthorized', message: 'send Authorization: Bearer <JUDGE_TOKEN>' },
        });
        expect(res.headers()['content-security-policy']).toContain("default-src 'none'");
      }
      // The right token gets in: no cluster and no metrics here, so the judge answers, and only pauses.
      const ok = await request.get(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status()).toBe(200);
      expect(await ok.json()).toMatchObject({ verdict: 'pause', metrics: 'none' });
    } finally {
      await cc.stop();
    }
  });
});
