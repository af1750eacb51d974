import { expect, test } from '@playwright/test';
import { type BareControlCenter, startBareControlCenter } from './control-center';

/**
 * Attack class 10: headers. /favicon.ico answered an HTML 404 without a CSP; a client's own `x-nonce` (and a CSP
 * request header naming a nonce) came back in the HTML; no HSTS when served over https.
 */
const HSTS = 'max-age=31536000; includeSubDomains';
const EVIL = { 'x-nonce': 'evil', 'content-security-policy': "script-src 'nonce-evil'" };

let plain: BareControlCenter;
let https: BareControlCenter;

test.describe('attack 10: every response has its headers, and none comes from the client', () => {
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook wants from this pattern
  test.beforeAll(async ({}, testInfo) => {
    plain = await startBareControlCenter(testInfo);
    // The same build behind an https public URL (a TLS proxy in front); it still listens on plain http here.
    https = await startBareControlCenter(testInfo, { AUTH_URL: 'https://cc.example.test' });
  });
  test.afterAll(async () => {
    await plain?.proc.stop();
    await https?.proc.stop();
  });

  test('/favicon.ico is an icon, with the headers of every response', async () => {
    const res = await fetch(`${plain.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\//);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 4)], 'an ICO header').toEqual([0, 0, 1, 0]);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('a not-found page, a missing API path and a missing build asset all carry a CSP', async () => {
    const page = await fetch(`${plain.url}/no-such-page`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toMatch(
      /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/,
    );
    const api = await fetch(`${plain.url}/api/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
    const asset = await fetch(`${plain.url}/_next/static/no-such-chunk.js`);
    expect(asset.status).toBe(404);
    expect(asset.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  test('a client-sent nonce never reaches the HTML, on any path', async () => {
    for (const path of [
      '/login',
      '/no-such-page',
      '/favicon.ico',
      '/api/no-such-route',
      '/rollouts/demo/webapp',
    ]) {
      const res = await fetch(`${plain.url}${path}`, { headers: EVIL, redirect: 'manual' });
      const body = await res.text();
      expect(body, path).not.toContain('evil');
      expect(res.headers.get('content-security-policy') ?? '', path).not.toContain('evil');
    }
    // The login page still has its own nonce on every script (the theme script included).
    const login = await fetch(`${plain.url}/login`, { headers: EVIL });
    const nonce = /'nonce-([^']+)'/.exec(login.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    const tags = (await login.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(1);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  });

  test('no HSTS over a plain http public URL', async () => {
    for (const path of ['/login', '/api/health']) {
      const res = await fetch(`${plain.url}${path}`);
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  test('HSTS on pages, refusals and API responses when AUTH_URL is https', async () => {
    const cases: Array<[string, RequestInit, number]> = [
      ['/login', {}, 200],
      ['/no-such-page', {}, 404],
      ['/favicon.ico', {}, 200],
      ['/', { method: 'POST', headers: { 'next-action': 'abc' } }, 405],
      ['/api/health', {}, 200],
      ['/api/no-such-route', {}, 404],
      ['/api/v1/rollouts', {}, 401],
      ['/api/v1/rollouts/demo/webapp/promote', { method: 'POST', body: '{}' }, 401],
      ['/api/auth/csrf', {}, 200],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(`${https.url}${path}`, { ...init, redirect: 'manual' });
      expect(res.status, path).toBe(status);
      expect(res.headers.get('strict-transport-security'), `${init.method ?? 'GET'} ${path}`).toBe(HSTS);
      await res.arrayBuffer();
    }
  });
});
