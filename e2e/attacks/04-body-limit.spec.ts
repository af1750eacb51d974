import { expect, test } from '@playwright/test';
import { apiLogin } from '../lab-fixture';
import { type BareControlCenter, startBareControlCenter } from './control-center';
import { processUsage, type Upload, type UploadOptions, upload } from './large-body';

/**
 * Attack class 4: request bodies buffered whole before the size check. Unauthenticated, 20 MB go at the sign-in
 * callback and at a rollout action, chunked (no length), with a true Content-Length and with a Content-Length that
 * claims less than is sent. Each must be answered early, and the server must have read (from its sockets, by its
 * own /proc/<pid>/io) no more than the limit plus a margin for what was in flight: never the body.
 */
const BODY = 20 * 1024 * 1024;
/** What the server may read beyond a route's limit: bytes already in flight when it stopped (libuv reads 64 KiB). */
const IN_FLIGHT = 1024 * 1024;
const AUTH_LIMIT = 16 * 1024;
const ACTION_LIMIT = 64 * 1024;
const CALLBACK = '/api/auth/callback/credentials';
const PROMOTE = '/api/v1/rollouts/demo/webapp/promote';

interface Measured extends Upload {
  readBytes: number;
  rssGrowth: number;
}

let cc: BareControlCenter;
let adminCookie: string;

async function measured(opts: UploadOptions): Promise<Measured> {
  const before = processUsage(cc.pid);
  const up = await upload(cc.url, opts);
  const after = processUsage(cc.pid);
  const m = {
    ...up,
    readBytes: after.readBytes - before.readBytes,
    rssGrowth: after.rssBytes - before.rssBytes,
  };
  test.info().annotations.push({
    type: 'measured',
    description: `${opts.path} ${JSON.stringify(opts.framing)}: ${m.status}, server read ${m.readBytes} B, client pushed ${m.sentBytes} B, RSS ${m.rssGrowth >= 0 ? '+' : ''}${m.rssGrowth} B`,
  });
  return m;
}

/** The JSON error of a raw HTTP/1.1 response (chunked or not). */
function errorOf(m: Measured): { code: string; message: string } | undefined {
  const body = m.response.slice(m.response.indexOf('\r\n\r\n') + 4);
  const json = /\{"error":\{.*?\}\}/.exec(body)?.[0];
  return json ? (JSON.parse(json) as { error: { code: string; message: string } }).error : undefined;
}

async function auditCount(): Promise<number> {
  const res = await fetch(`${cc.url}/api/v1/audit?limit=500`, { headers: { cookie: adminCookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: unknown[] }).items.length;
}

function expectEarly(m: Measured, limit: number) {
  expect(m.readBytes, 'bytes the server read').toBeLessThanOrEqual(limit + IN_FLIGHT);
  expect(m.sentBytes, 'the client could not push the whole body').toBeLessThan(BODY);
  expect(m.rssGrowth, 'resident memory').toBeLessThan(BODY / 2);
  expect(m.response).not.toMatch(/set-cookie: [^\r]*session-token/i);
}

test.describe('attack 4: bodies are limited while they stream', () => {
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook wants from this pattern
  test.beforeAll(async ({}, testInfo) => {
    cc = await startBareControlCenter(testInfo);
    adminCookie = await apiLogin(cc.url, 'admin');
    // Load the routes once, so their code does not count as growth.
    await fetch(`${cc.url}${CALLBACK}`, {
      method: 'POST',
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await fetch(`${cc.url}${PROMOTE}`, { method: 'POST', body: '{}' });
    await auditCount();
  });
  test.afterAll(async () => {
    await cc?.proc.stop();
  });

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };

  test('sign-in callback, 20 MB chunked: 413 after 16 KiB', async () => {
    const m = await measured({ path: CALLBACK, headers: form, bytes: BODY, framing: 'chunked' });
    expect(m.status).toBe(413);
    expect(errorOf(m)).toEqual({
      code: 'payload_too_large',
      message: `the request body is larger than ${AUTH_LIMIT} bytes`,
    });
    expectEarly(m, AUTH_LIMIT);
  });

  test('sign-in callback, 20 MB with its Content-Length: 413 before reading', async () => {
    const m = await measured({ path: CALLBACK, headers: form, bytes: BODY, framing: 'content-length' });
    expect(m.status).toBe(413);
    expect(errorOf(m)?.code).toBe('payload_too_large');
    expectEarly(m, AUTH_LIMIT);
  });

  test('sign-in callback, 20 MB behind a Content-Length of 1000: the rest is not a body, and not read', async () => {
    const m = await measured({
      path: CALLBACK,
      headers: form,
      bytes: BODY,
      framing: { lyingContentLength: 1000 },
    });
    // The 1000 bytes are the body (no csrf token: next-auth refuses), the rest is a malformed next request.
    expect(m.status).not.toBe(200);
    expectEarly(m, AUTH_LIMIT);
  });

  test('rollout action, unauthenticated, 20 MB chunked: 401 unread', async () => {
    const m = await measured({ path: PROMOTE, headers: json, bytes: BODY, framing: 'chunked' });
    expect(m.status).toBe(401);
    expect(errorOf(m)?.code).toBe('unauthenticated');
    expectEarly(m, 0);
  });

  test('rollout action, unauthenticated, 20 MB with its Content-Length: 413 before anything else', async () => {
    const m = await measured({ path: PROMOTE, headers: json, bytes: BODY, framing: 'content-length' });
    expect(m.status).toBe(413);
    expect(errorOf(m)).toEqual({
      code: 'payload_too_large',
      message: `the request body is larger than ${ACTION_LIMIT} bytes`,
    });
    expectEarly(m, 0);
  });

  test('rollout action, signed-in operator, 20 MB chunked: 413 after 64 KiB', async () => {
    const cookie = await apiLogin(cc.url, 'operator');
    const m = await measured({
      path: PROMOTE,
      headers: { ...json, cookie, 'x-requested-with': 'control-center' },
      bytes: BODY,
      framing: 'chunked',
    });
    expect(m.status).toBe(413);
    expect(errorOf(m)?.code).toBe('payload_too_large');
    expectEarly(m, ACTION_LIMIT);
  });

  test('read back: the server answers, signs in, and recorded no action', async () => {
    const before = await auditCount();
    await measured({ path: PROMOTE, headers: json, bytes: BODY, framing: 'chunked' });
    const health = await fetch(`${cc.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await apiLogin(cc.url, 'viewer')).toContain('next-auth.session-token=');
    expect(await auditCount()).toBe(before);
  });
});
