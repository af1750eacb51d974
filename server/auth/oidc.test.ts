import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openAuditDb, setAuditDb } from '../audit/audit-db';
import { queryAudit } from '../audit/audit-query';
import { sessionClock, sessionsDb } from './session-store';
import { CookieJar } from './testing/cookie-jar';

/**
 * A real OIDC flow: oidc-provider (a certified OpenID Connect implementation) on 127.0.0.1 with its development
 * login and consent pages; the control center discovers it, redirects there, takes the code back (PKCE + state),
 * reads the groups claim from the ID token and maps group "sre" to operator in namespace demo.
 */
const CC = 'http://cc.test';
let server: Server;
let issuer = '';
type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
let auth: { GET: Handler; POST: Handler };
let act: Handler;
/** Groups a test gives a user at the provider (else sre and everyone); null: the user is removed. */
const accounts = new Map<string, string[] | null>();

beforeAll(async () => {
  const provider = new Provider('http://127.0.0.1', {
    clients: [
      {
        client_id: 'control-center',
        client_secret: 'control-center-oidc-secret-0123456789',
        redirect_uris: [`${CC}/api/auth/callback/oidc`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
    conformIdTokenClaims: false,
    // A refresh token for every code (without asking for offline_access), as many company providers do.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: (_ctx, id) => {
      if (accounts.get(id) === null) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          name: 'Alice Example',
          email: 'alice@example.com',
          groups: accounts.get(id) ?? ['sre', 'everyone'],
        }),
      };
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = provider.listen(0, '127.0.0.1', () => resolve(s));
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The provider was created before its port was known: it takes the issuer from the request's host.
  (provider as unknown as { issuer: string }).issuer = issuer;

  const dir = mkdtempSync(path.join(tmpdir(), 'cc-oidc-'));
  const file = path.join(dir, 'control-center.yaml');
  writeFileSync(
    file,
    [
      'auth:',
      '  oidc:',
      `    issuer: ${issuer}`,
      '    clientId: control-center',
      '    clientSecret: control-center-oidc-secret-0123456789',
      '    name: Test SSO',
      '  groups:',
      '    - group: sre',
      '      role: operator',
      '      namespaces: [demo]',
      '    - group: platform-admins',
      '      role: admin',
    ].join('\n'),
  );
  vi.stubEnv('CONTROL_CENTER_CONFIG', file);
  vi.stubEnv('AUTH_URL', CC);
  auth = (await import('@/app/api/auth/[...nextauth]/route')) as unknown as typeof auth;
  ({ POST: act } = (await import('@/app/api/v1/rollouts/[namespace]/[name]/[action]/route')) as unknown as {
    POST: Handler;
  });
});
afterAll(() => {
  server?.close();
  vi.unstubAllEnvs();
});
const realNow = sessionClock.now;
afterEach(() => {
  sessionClock.now = realNow;
});

const ccCall = async (h: Handler, p: string, jar: CookieJar, init: RequestInit = {}) => {
  const url = new URL(p, CC);
  const res = await h(new Request(url, { ...init, headers: { ...init.headers, cookie: jar.header() } }), {
    params: Promise.resolve({ nextauth: url.pathname.replace('/api/auth/', '').split('/') }),
  });
  jar.store(res);
  return res;
};

/** Follows the provider's redirects and submits its login and consent forms until it sends us back. */
async function atProvider(start: string, login = 'alice'): Promise<string> {
  const jar = new CookieJar();
  let url = start;
  let init: RequestInit = {};
  for (let i = 0; i < 20; i++) {
    if (url.startsWith(CC)) return url;
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: jar.header() },
    });
    jar.store(res);
    init = {};
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await res.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    if (!action) throw new Error(`no form at ${url}: ${res.status} ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input[^>]*name="([^"]+)"(?:[^>]*value="([^"]*)")?/g))
      fields.set(m[1] as string, m[2] ?? '');
    if (fields.has('login')) fields.set('login', login);
    if (fields.has('password')) fields.set('password', 'any');
    url = new URL(action.replaceAll('&amp;', '&'), url).toString();
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    };
  }
  throw new Error('the provider never redirected back');
}

/** Signs in at the provider as `login`; the jar then holds the control center's session cookie. */
async function signIn(login: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const { csrfToken } = (await (await ccCall(auth.GET, '/api/auth/csrf', jar)).json()) as {
    csrfToken: string;
  };
  const signin = await ccCall(auth.POST, '/api/auth/signin/oidc', jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/', json: 'true' }).toString(),
  });
  const { url } = (await signin.json()) as { url: string };
  await ccCall(auth.GET, await atProvider(url, login), jar);
  return jar;
}

const abortIn = (jar: CookieJar, ns: string, name: string) =>
  act(
    new Request(`${CC}/api/v1/rollouts/${ns}/${name}/abort`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-requested-with': 'control-center', origin: CC },
    }),
    { params: Promise.resolve({ namespace: ns, name, action: 'abort' }) },
  );

const roleOf = async (jar: CookieJar) =>
  ((await (await ccCall(auth.GET, '/api/auth/session', jar)).json()) as { user?: { role: string } }).user
    ?.role;
/** An action as the session's user: the guard's answer (an abort of a rollout that does not exist). */
const actIn = async (jar: CookieJar, namespace: string) => {
  const res = await abortIn(jar, namespace, 'cart');
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
};
const aliceRows = () =>
  sessionsDb()
    .prepare("SELECT oidc_tokens, groups, revoked_at FROM sessions WHERE subject = 'oidc:alice'")
    .all() as Array<{ oidc_tokens: string | null; groups: string | null; revoked_at: number | null }>;
const MIN = 60_000;
/** Moves the control center's session clock `ms` past now. */
const advance = (ms: number) => {
  const at = sessionClock.now() + ms;
  sessionClock.now = () => at;
};

describe('OIDC sign-in against oidc-provider on 127.0.0.1', () => {
  it('two users with the same display name are two subjects in the audit log (oidc:<issuer>#<sub>)', async () => {
    setAuditDb(openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'cc-oidc-audit-')), 'audit.db')));
    // Both accounts' name claim is "Alice Example": only the ID token's subject tells them apart.
    for (const login of ['alice', 'mallory'])
      expect((await abortIn(await signIn(login), 'shop', 'cart')).status).toBe(403);
    const rows = await queryAudit({ limit: 10, format: 'json' });
    expect(rows.map((r) => [r.subject, r.actor]).sort()).toEqual([
      [`oidc:${issuer}#alice`, 'Alice Example'],
      [`oidc:${issuer}#mallory`, 'Alice Example'],
    ]);
    expect(await queryAudit({ user: `oidc:${issuer}#mallory`, limit: 10, format: 'json' })).toHaveLength(1);
  });

  it('logs in, maps the groups claim to a role, and the role is enforced', async () => {
    const jar = new CookieJar();
    const providers = (await (await ccCall(auth.GET, '/api/auth/providers', jar)).json()) as Record<
      string,
      unknown
    >;
    expect(providers).toHaveProperty('oidc.name', 'Test SSO');
    const { csrfToken } = (await (await ccCall(auth.GET, '/api/auth/csrf', jar)).json()) as {
      csrfToken: string;
    };
    const signin = await ccCall(auth.POST, '/api/auth/signin/oidc', jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, callbackUrl: '/', json: 'true' }).toString(),
    });
    const { url: authorize } = (await signin.json()) as { url: string };
    expect(authorize.startsWith(`${issuer}/auth?`)).toBe(true);
    expect(new URL(authorize).searchParams.get('code_challenge_method')).toBe('S256');

    const back = await atProvider(authorize);
    expect(back).toMatch(/\/api\/auth\/callback\/oidc\?.*code=/);
    const callback = await ccCall(auth.GET, back, jar);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`${CC}/`);
    expect(jar.get('next-auth.session-token')).toBeTruthy();

    const session = (await (await ccCall(auth.GET, '/api/auth/session', jar)).json()) as {
      user: { name: string; role: string };
    };
    expect(session.user).toEqual({ name: 'Alice Example', role: 'operator' });
    // The provider's tokens and the groups stay on the server: the cookie holds none of them.
    const [row] = aliceRows().slice(-1);
    expect(JSON.parse(row?.groups ?? '[]')).toEqual(['sre', 'everyone']);
    const token = JSON.parse(row?.oidc_tokens ?? '{}') as { accessToken?: string };
    expect(token.accessToken).toBeTruthy();
    expect(jar.header()).not.toContain(token.accessToken as string);

    // Operator of demo only: an action in another namespace is refused by the guard.
    const res = await act(
      new Request(`${CC}/api/v1/rollouts/shop/cart/abort`, {
        method: 'POST',
        headers: { cookie: jar.header(), 'x-requested-with': 'control-center', origin: CC },
      }),
      { params: Promise.resolve({ namespace: 'shop', name: 'cart', action: 'abort' }) },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'your role (operator) may act only in demo on context loaded-context (not in shop on context loaded-context)',
    );
  });

  it('re-reads the groups from the provider every 15 minutes (refreshing the token), ends the session of a removed user', async () => {
    accounts.set('alice', ['sre']);
    const jar = await signIn('alice');
    expect(await roleOf(jar)).toBe('operator');
    accounts.set('alice', ['platform-admins']);
    // Within 15 minutes the groups of the last check stand.
    advance(14 * MIN);
    expect(await roleOf(jar)).toBe('operator');
    // Past them the provider is asked: the new group makes alice an admin.
    advance(2 * MIN);
    expect(await roleOf(jar)).toBe('admin');
    expect((await actIn(jar, 'shop')).status).not.toBe(403);

    // Past the access token's lifetime (1 h at oidc-provider) the refresh token gets a new one first.
    const before = JSON.parse(aliceRows().slice(-1)[0]?.oidc_tokens ?? '{}') as { accessToken: string };
    accounts.set('alice', ['sre']);
    advance(61 * MIN);
    expect(await roleOf(jar)).toBe('operator');
    const after = JSON.parse(aliceRows().slice(-1)[0]?.oidc_tokens ?? '{}') as { accessToken: string };
    expect(after.accessToken).toBeTruthy();
    expect(after.accessToken).not.toBe(before.accessToken);

    // The user is removed at the provider: at the next check the session ends (401), for good.
    accounts.set('alice', null);
    advance(16 * MIN);
    const gone = await actIn(jar, 'demo');
    expect(gone.status).toBe(401);
    expect(gone.body.error?.message).toBe(
      'the identity provider no longer accepts this sign-in: sign in again',
    );
    expect(aliceRows().slice(-1)[0]?.revoked_at).not.toBeNull();
    accounts.set('alice', ['sre']);
    expect((await actIn(jar, 'demo')).status).toBe(401);
  });

  it('fails closed when the provider cannot be asked after 15 minutes', async () => {
    accounts.set('alice', ['sre']);
    const jar = await signIn('alice');
    expect(await roleOf(jar)).toBe('operator');
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    advance(16 * MIN);
    const res = await actIn(jar, 'demo');
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toBe(
      'the identity provider could not confirm your groups (it is unreachable); sign in again when it is back',
    );
    expect(await roleOf(jar)).toBeUndefined();
    // Not ended: the provider was only away.
    expect(aliceRows().slice(-1)[0]?.revoked_at).toBeNull();
  });
});
