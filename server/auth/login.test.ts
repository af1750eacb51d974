import { beforeAll, describe, expect, it, vi } from 'vitest';
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

/** A password login as the login page does it: csrf token, then the credentials callback (json). */
async function login(username: string, password: string, csrf = true) {
  const jar = new CookieJar();
  const { csrfToken } = (await (await call(GET, 'csrf', jar)).json()) as { csrfToken: string };
  const res = await call(POST, 'callback/credentials', jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      username,
      password,
      csrfToken: csrf ? csrfToken : 'forged',
      callbackUrl: '/',
      json: 'true',
    }).toString(),
  });
  return { jar, status: res.status, body: (await res.json()) as { url: string } };
}

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

  it('signing out clears the session cookie', async () => {
    const { jar } = await login('viewer', 'viewer-password-1');
    expect(jar.get('next-auth.session-token')).toBeTruthy();
    const { csrfToken } = (await (await call(GET, 'csrf', jar)).json()) as { csrfToken: string };
    await call(POST, 'signout', jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, json: 'true' }).toString(),
    });
    expect(jar.get('next-auth.session-token')).toBeUndefined();
  });
});
