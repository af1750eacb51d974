import { expect, test } from '@playwright/test';
import { type BareControlCenter, startBareControlCenter } from './control-center';
import { processUsage, upload } from './large-body';

/**
 * Attack class 1: React's Server Function decoder reached without a session. The app defines no Server Functions,
 * but Next.js hands any POST with a Next-Action header, a multipart or a urlencoded form to its action handler, and
 * the open advisories of the React server runtime (CVE-2026-130165: DoS in Server Functions) were reachable exactly
 * that way. Each request below must be refused before Next.js looks at it, and leave no trace of a decoder.
 */
const ACTION_ID = '7f1234567890abcdef1234567890abcdef12345678';
const BOUNDARY = '----attack';
const multipart = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="$ACTION_ID_${ACTION_ID}"\r\n\r\n\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="1_$ACTION_REF_1"\r\n\r\n\r\n--${BOUNDARY}--\r\n`;

interface Attack {
  what: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const PAGE_ATTACKS: Attack[] = [
  {
    what: 'Next-Action on the login page',
    method: 'POST',
    path: '/login',
    headers: { 'next-action': 'abc' },
  },
  {
    what: 'a well-formed action id on the overview',
    method: 'POST',
    path: '/',
    headers: {
      'next-action': ACTION_ID,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
    },
    body: '[]',
  },
  {
    what: 'a multipart form (progressive-enhancement action) on the audit page',
    method: 'POST',
    path: '/audit',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipart,
  },
  {
    what: 'a urlencoded $ACTION_ID_ form',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `%24ACTION_ID_${ACTION_ID}=`,
  },
  {
    what: 'text/plain with a router state tree (a navigation turned into a post)',
    method: 'POST',
    path: '/rollouts/demo/webapp',
    headers: {
      'content-type': 'text/plain',
      'next-router-state-tree': encodeURIComponent(
        JSON.stringify(['', { children: ['__PAGE__', {}] }, null, null, true]),
      ),
    },
    body: '[]',
  },
  { what: 'PUT on a page', method: 'PUT', path: '/', headers: { 'next-action': 'abc' }, body: '{}' },
  { what: 'DELETE on a page', method: 'DELETE', path: '/login' },
  { what: 'PATCH on a page', method: 'PATCH', path: '/audit', body: 'x' },
  { what: 'a not-found page', method: 'POST', path: '/no-such-page', headers: { 'next-action': 'abc' } },
  { what: '/favicon.ico', method: 'POST', path: '/favicon.ico', headers: { 'next-action': 'abc' } },
  {
    what: 'the image optimizer',
    method: 'POST',
    path: '/_next/image?url=%2Ffavicon.ico&w=32&q=75',
    headers: { 'next-action': 'abc' },
  },
  { what: 'Next-Action on a GET', method: 'GET', path: '/login', headers: { 'next-action': 'abc' } },
];

const API_ATTACKS: Attack[] = [
  {
    what: 'Next-Action on a missing API path',
    method: 'POST',
    path: '/api/nope',
    headers: { 'next-action': 'abc' },
  },
  {
    what: 'Next-Action on the sign-in callback',
    method: 'POST',
    path: '/api/auth/callback/credentials',
    headers: { 'next-action': ACTION_ID },
  },
  {
    what: 'Next-Action on a rollout action',
    method: 'POST',
    path: '/api/v1/rollouts/demo/webapp/promote',
    headers: { 'next-action': ACTION_ID },
  },
];

/** What Next.js's action handler and React's decoder say when they are reached (next/dist/server/app-render/action-handler.js). */
const DECODER_TRACES = /Server Action|failed-to-find-server-action|Invalid Server Actions? request/i;

async function send(cc: BareControlCenter, a: Attack): Promise<Response> {
  return fetch(`${cc.url}${a.path}`, {
    method: a.method,
    headers: a.headers,
    body: a.body,
    redirect: 'manual',
  });
}

test.describe('attack 1: Server Function requests are refused before any decoding', () => {
  let cc: BareControlCenter;
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook wants from this pattern
  test.beforeAll(async ({}, testInfo) => {
    cc = await startBareControlCenter(testInfo);
  });
  test.afterAll(async () => {
    await cc?.proc.stop();
  });

  for (const a of PAGE_ATTACKS)
    test(`pages: ${a.what} → 405, Allow: GET, HEAD`, async () => {
      const res = await send(cc, a);
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(text).toContain('pages answer GET and HEAD only');
      expect(res.headers.get('x-nextjs-action-not-found')).toBeNull();
      expect(text).not.toMatch(DECODER_TRACES);
    });

  for (const a of API_ATTACKS)
    test(`API: ${a.what} → 400 before the route`, async () => {
      const res = await send(cc, a);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'server_function_refused',
          message: 'this server has no Server Functions: requests with a Next-Action header are refused',
        },
      });
    });

  test('a form post to a missing API path is a JSON 404, never the not-found page with a decoder in front', async () => {
    const res = await fetch(`${cc.url}/api/nope`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: multipart,
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no API route at /api/nope' } });
  });

  test('an RSC-flagged action post: Next.js redirects it to its cache-busting URL, and there it is refused', async () => {
    const headers = { rsc: '1', 'next-action': ACTION_ID, 'content-type': 'text/plain;charset=UTF-8' };
    const first = await fetch(`${cc.url}/login`, { method: 'POST', headers, body: '[]', redirect: 'manual' });
    expect(first.status).toBe(307);
    const location = first.headers.get('location') ?? '';
    expect(location).toMatch(/^\/login\?_rsc/);
    expect(await first.text()).not.toMatch(DECODER_TRACES);
    const second = await fetch(`${cc.url}${location}`, {
      method: 'POST',
      headers,
      body: '[]',
      redirect: 'manual',
    });
    expect(second.status).toBe(405);
    expect(await second.text()).toContain('pages answer GET and HEAD only');
  });

  test('a 20 MB multipart action post to a page: 405 with the body left unread', async () => {
    for (const framing of ['chunked', 'content-length'] as const) {
      const before = processUsage(cc.pid);
      const up = await upload(cc.url, {
        path: '/login',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'next-action': ACTION_ID },
        bytes: 20 * 1024 * 1024,
        framing,
      });
      const read = processUsage(cc.pid).readBytes - before.readBytes;
      test.info().annotations.push({
        type: 'measured',
        description: `POST /login ${framing}: ${up.status}, server read ${read} B, client pushed ${up.sentBytes} B`,
      });
      expect(up.status, framing).toBe(405);
      expect(up.response).toMatch(/\r\nallow: GET, HEAD\r\n/i);
      // What was in flight when the server stopped reading (libuv reads 64 KiB at a time): never the body.
      expect(read, `${framing}: bytes the server read`).toBeLessThan(1024 * 1024);
    }
  });

  test('read back: no decoder ran (nothing in the server log), and the pages still answer', async () => {
    // Every attack once more, in one go, then the server's own account of them.
    for (const a of [...PAGE_ATTACKS, ...API_ATTACKS]) await (await send(cc, a)).arrayBuffer();
    const log = cc.proc.output();
    expect(log).not.toMatch(DECODER_TRACES);
    const login = await fetch(`${cc.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<form');
    const head = await fetch(`${cc.url}/login`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});
