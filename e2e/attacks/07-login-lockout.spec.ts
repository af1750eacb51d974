import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { E2E_CONFIG, freePort, startControlCenter } from '../lab-fixture';

/**
 * Attack class 7 (anyone could lock a user out): the sign-in limit was per username only, so a burst of wrong
 * passwords from anywhere locked the admin out everywhere. Here the attacker sends wrong passwords for admin from
 * 127.0.0.1; the admin then signs in from 127.0.0.2 (a second real source address on the Linux loopback, bound with
 * `localAddress`: no header tells the server where a request comes from, none is trusted by default).
 */
interface Answer {
  status: number;
  cookies: string[];
  body: string;
  retryAfter: string | undefined;
}

/** One HTTP request from a chosen local address. */
function from(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? ''),
            body,
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A password sign-in through next-auth's API from `localAddress`. */
async function signIn(
  localAddress: string,
  base: string,
  password: string,
  extra: Record<string, string> = {},
) {
  const csrf = await from(localAddress, `${base}/api/auth/csrf`);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await from(localAddress, `${base}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: csrf.cookies.join('; '),
      ...extra,
    },
    body: new URLSearchParams({ csrfToken, username: 'admin', password, json: 'true' }).toString(),
  });
  const session = res.cookies.find((c) => /^next-auth\.session-token=./.test(c));
  return { ...res, session };
}

test('wrong passwords for admin from one address do not lock the admin out at another', async () => {
  const testInfo = test.info();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const cc = await startControlCenter(
    port,
    {
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: '',
      CONTROL_CENTER_CONFIG: E2E_CONFIG,
      CONTROL_CENTER_DATA_DIR: testInfo.outputPath('cc-data'),
      AUTH_SECRET: `e2e-lockout-${randomBytes(16).toString('hex')}`,
    },
    testInfo.outputPath('control-center.log'),
  );
  try {
    // The attack: a dozen wrong passwords in a few seconds, more than the old per-username limit of 10 a minute.
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await signIn('127.0.0.1', base, `guess-${i}`);
      expect(r.session).toBeUndefined();
      answers.push(r.status);
    }
    // The admin, at another address, signs in at once.
    const admin = await signIn('127.0.0.2', base, 'admin-password-1');
    expect(admin.status).toBe(200);
    expect(admin.session).toBeTruthy();
    // Read back: the admin's session works.
    const audit = await from('127.0.0.2', `${base}/api/v1/audit`, {
      headers: { cookie: admin.session ?? '' },
    });
    expect(audit.status).toBe(200);
    const session = await from('127.0.0.2', `${base}/api/auth/session`, {
      headers: { cookie: admin.session ?? '' },
    });
    expect(JSON.parse(session.body)).toMatchObject({ user: { name: 'admin', role: 'admin' } });
    // The attacker's own address is slowed down: after five failures it waits, and is told so.
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers).toContain(429);
    // (A wait may have run out meanwhile: the next failure starts a longer one.)
    let limited = await signIn('127.0.0.1', base, 'admin-password-1');
    if (limited.status !== 429) limited = await signIn('127.0.0.1', base, 'guess-again');
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(limited.body).error).toMatchObject({ code: 'rate_limited' });
    expect(JSON.parse(limited.body).error.message).toMatch(
      /^too many wrong passwords for this user from your address/,
    );
    expect(limited.session).toBeUndefined();
    // A forged X-Forwarded-For does not make the attacker someone else.
    const forged = await signIn('127.0.0.1', base, 'guess-x', { 'x-forwarded-for': '127.0.0.2' });
    expect(forged.status).toBe(429);
  } finally {
    await cc.stop();
  }
});
