import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PEER_HEADER, peerHeaderValue } from '../http/peer-header';
import { runtime } from '../runtime/current';
import { HashSlots } from './hash-slots';
import { LoginThrottle } from './login-throttle';
import { CookieJar } from './testing/cookie-jar';

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;
let GET: Handler;
let POST: Handler;
let audit: (req: Request) => Promise<Response>;
const BASE = 'http://cc.test';

beforeAll(async () => {
  ({ GET, POST } = (await import('@/app/api/auth/[...nextauth]/route')) as unknown as {
    GET: Handler;
    POST: Handler;
  });
  ({ GET: audit } = (await import('@/app/api/v1/audit/route')) as unknown as {
    GET: (r: Request) => Promise<Response>;
  });
});

const call = (h: Handler, path: string, jar: CookieJar, init: RequestInit = {}) =>
  h(
    new Request(`${BASE}/api/auth/${path}`, { ...init, headers: { ...init.headers, cookie: jar.header() } }),
    {
      params: Promise.resolve({ nextauth: path.split('?')[0]?.split('/') ?? [] }),
    },
  ).then((res) => {
    jar.store(res);
    return res;
  });

const freshGate = () => ({ throttle: new LoginThrottle(), slots: new HashSlots(4, 16) });
beforeEach(() => {
  runtime().loginGate = freshGate();
});

/** A password login as the login page does it: csrf token, then the credentials callback (json). */
async function login(username: string, password: string, csrf = true, peer = '127.0.0.1') {
  const jar = new CookieJar();
  const { csrfToken } = (await (await call(GET, 'csrf', jar)).json()) as { csrfToken: string };
  const res = await call(POST, 'callback/credentials', jar, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      [PEER_HEADER]: peerHeaderValue(peer),
    },
    body: new URLSearchParams({
      username,
      password,
      csrfToken: csrf ? csrfToken : 'forged',
      callbackUrl: '/',
      json: 'true',
    }).toString(),
  });
  return {
    jar,
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { url: string; error?: { code: string; message: string } },
  };
}

const auditStatus = async (cookie: string) =>
  (await audit(new Request(`${BASE}/api/v1/audit`, { headers: { cookie } }))).status;
const sessionOf = async (cookie: string) => {
  const res = await GET(new Request(`${BASE}/api/auth/session`, { headers: { cookie } }), {
    params: Promise.resolve({ nextauth: ['session'] }),
  });
  return { res, body: (await res.json()) as { user?: { name: string }; expires?: string } };
};

describe('password login (next-auth credentials, argon2)', () => {
  it('signs in, sets an httpOnly SameSite session cookie, and the session names the role', async () => {
    const jar = new CookieJar();
    const { csrfToken } = (await (await call(GET, 'csrf', jar)).json()) as { csrfToken: string };
    const res = await call(POST, 'callback/credentials', jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: 'admin',
        password: 'admin-password-1',
        csrfToken,
        json: 'true',
      }).toString(),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const session = (await (await call(GET, 'session', jar)).json()) as {
      user: { name: string; role: string };
    };
    expect(session.user).toEqual({ name: 'admin', role: 'admin' });
    // The cookie opens the API: the admin may read the audit log.
    const a = await audit(new Request(`${BASE}/api/v1/audit`, { headers: { cookie: jar.header() } }));
    expect(a.status).toBe(200);
  });

  it('a wrong password and an unknown user are refused the same way, without saying which part was wrong', async () => {
    const wrongPassword = await login('admin', 'not-the-password');
    const unknownUser = await login('nobody', 'admin-password-1');
    for (const r of [wrongPassword, unknownUser]) {
      expect(r.status).toBe(401);
      expect(r.body.url).toMatch(/error=CredentialsSignin/);
      expect(r.jar.get('next-auth.session-token')).toBeUndefined();
    }
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(wrongPassword.status).toBe(unknownUser.status);
    expect(JSON.stringify(wrongPassword.body)).not.toMatch(/password|user|name/i);
    const a = await audit(
      new Request(`${BASE}/api/v1/audit`, { headers: { cookie: wrongPassword.jar.header() } }),
    );
    expect(a.status).toBe(401);
  });

  it('refuses a login without the CSRF token', async () => {
    const r = await login('admin', 'admin-password-1', false);
    expect(r.body.url).not.toBe(`${BASE}/`);
    expect(r.jar.get('next-auth.session-token')).toBeUndefined();
  });

  it('a forged cookie is no session', async () => {
    for (const cookie of [
      'next-auth.session-token=abc',
      'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z',
    ]) {
      const a = await audit(new Request(`${BASE}/api/v1/audit`, { headers: { cookie } }));
      expect(a.status).toBe(401);
    }
  });

  it('a real session cookie past its expiry (sessionMaxAgeSeconds, default 8 h) is no session', async () => {
    const { jar } = await login('admin', 'admin-password-1');
    const cookie = jar.header();
    const auditWith = async () =>
      (await audit(new Request(`${BASE}/api/v1/audit`, { headers: { cookie } }))).status;
    const sessionWith = async () =>
      (await (
        await GET(new Request(`${BASE}/api/auth/session`, { headers: { cookie } }), {
          params: Promise.resolve({ nextauth: ['session'] }),
        })
      ).json()) as { user?: { name: string } };
    const maxAgeMs = 8 * 3600 * 1000;
    const signedInAt = Date.now();
    // A faked clock (Date only, no timers), because the real wait is 8 h (the shortest allowed maxAge is 300 s): the
    // same cookie, read a minute before and a minute after its expiry.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(signedInAt + maxAgeMs - 60_000);
      expect(await auditWith()).toBe(200);
      expect((await sessionWith()).user?.name).toBe('admin');
      vi.setSystemTime(signedInAt + maxAgeMs + 60_000);
      expect(await auditWith()).toBe(401);
      expect(await sessionWith()).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });

  it('signing out clears the session cookie, and the old cookie is refused afterwards', async () => {
    const { jar } = await login('admin', 'admin-password-1');
    expect(jar.get('next-auth.session-token')).toBeTruthy();
    const old = jar.header();
    expect(await auditStatus(old)).toBe(200);
    const { csrfToken } = (await (await call(GET, 'csrf', jar)).json()) as { csrfToken: string };
    await call(POST, 'signout', jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, json: 'true' }).toString(),
    });
    expect(jar.get('next-auth.session-token')).toBeUndefined();
    // Whoever kept a copy of the cookie has nothing: the session ended on the server.
    const res = await audit(new Request(`${BASE}/api/v1/audit`, { headers: { cookie: old } }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'this session was ended (signed out or revoked): sign in again',
    );
    expect((await sessionOf(old)).body).toEqual({});
  });

  it('re-reading the session re-issues the cookie but never past the absolute expiry', async () => {
    const { jar } = await login('admin', 'admin-password-1');
    const signedInAt = Date.now();
    const maxAgeMs = 8 * 3600 * 1000;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Every hour the page reads its session: each time a fresh cookie with a later cookie expiry.
      let cookie = jar.header();
      for (let h = 1; h <= 7; h++) {
        vi.setSystemTime(signedInAt + h * 3600_000);
        const { res, body } = await sessionOf(cookie);
        expect(body.user?.name).toBe('admin');
        expect(Date.parse(body.expires ?? '')).toBeLessThanOrEqual(signedInAt + maxAgeMs + 1000);
        cookie = new CookieJar().store(res).header();
        expect(cookie).toMatch(/next-auth\.session-token=/);
      }
      vi.setSystemTime(signedInAt + maxAgeMs - 60_000);
      expect(await auditStatus(cookie)).toBe(200);
      // The newest cookie is still within its own (slid) lifetime, but the session is over.
      vi.setSystemTime(signedInAt + maxAgeMs + 60_000);
      const res = await audit(new Request(`${BASE}/api/v1/audit`, { headers: { cookie } }));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'this session expired: sign in again',
      );
      expect((await sessionOf(cookie)).body).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('sign-in throttling', () => {
  it('wrong passwords from one address lock that address out (429, no hashing), not the user elsewhere', async () => {
    const clock = { t: Date.now() };
    runtime().loginGate = { throttle: new LoginThrottle(undefined, () => clock.t), slots: new HashSlots() };
    for (let i = 0; i < 5; i++) expect((await login('admin', 'wrong', true, '127.0.0.9')).status).toBe(401);
    const limited = await login('admin', 'wrong', true, '127.0.0.9');
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe('1');
    expect(limited.body.error).toEqual({
      code: 'rate_limited',
      message: 'too many wrong passwords for this user from your address: try again in 1 s',
    });
    expect(limited.body.url).toBe(`${BASE}/login?error=TooManyAttempts`);
    expect(limited.jar.get('next-auth.session-token')).toBeUndefined();
    // Even the right password waits at that address...
    expect((await login('admin', 'admin-password-1', true, '127.0.0.9')).status).toBe(429);
    // ...while the admin at another address signs in.
    const elsewhere = await login('admin', 'admin-password-1', true, '::ffff:127.0.0.2');
    expect(elsewhere.status).toBe(200);
    expect(await auditStatus(elsewhere.jar.header())).toBe(200);
    // A client's own X-Forwarded-For is no other address (no trusted proxy is configured).
    const jar = new CookieJar();
    const { csrfToken } = (await (await call(GET, 'csrf', jar)).json()) as { csrfToken: string };
    const spoofed = await call(POST, 'callback/credentials', jar, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        [PEER_HEADER]: peerHeaderValue('127.0.0.9'),
        'x-forwarded-for': '198.51.100.77',
      },
      body: new URLSearchParams({ username: 'admin', password: 'wrong', csrfToken, json: 'true' }).toString(),
    });
    expect(spoofed.status).toBe(429);
  });

  it('answers 503 at once, without hashing, when every hashing slot and queue place is taken', async () => {
    const slots = new HashSlots(1, 0);
    runtime().loginGate = { throttle: new LoginThrottle(), slots };
    const held = await slots.acquire();
    try {
      const r = await login('viewer', 'viewer-password-1', true, '127.0.0.3');
      expect(r.status).toBe(503);
      expect(r.body.error?.code).toBe('busy');
      expect(r.retryAfter).toBe('1');
      expect(r.jar.get('next-auth.session-token')).toBeUndefined();
    } finally {
      held?.();
    }
    expect((await login('viewer', 'viewer-password-1', true, '127.0.0.3')).status).toBe(200);
    expect(slots.load()).toEqual({ running: 0, waiting: 0 });
  });
});
