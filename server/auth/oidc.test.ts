import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditDb, openAuditDb, setAuditDb } from '../audit/audit-db';
import { queryAudit } from '../audit/audit-query';
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

beforeAll(async () => {
  const provider = new Provider('http://127.0.0.1', {
    clients: [
      {
        client_id: 'control-center',
        client_secret: 'control-center-oidc-secret-0123456789',
        redirect_uris: [`${CC}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        name: 'Alice Example',
        email: 'alice@example.com',
        groups: ['sre', 'everyone'],
      }),
    }),
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

describe('OIDC sign-in against oidc-provider on 127.0.0.1', () => {
  it('two users with the same display name are two subjects in the audit log (oidc:<issuer>#<sub>)', async () => {
    setAuditDb(openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'cc-oidc-audit-')), 'audit.db')));
    // Both accounts' name claim is "Alice Example": only the ID token's subject tells them apart.
    for (const login of ['alice', 'mallory'])
      expect((await abortIn(await signIn(login), 'shop', 'cart')).status).toBe(403);
    const rows = queryAudit(auditDb(), { limit: 10, format: 'json' });
    expect(rows.map((r) => [r.subject, r.actor]).sort()).toEqual([
      [`oidc:${issuer}#alice`, 'Alice Example'],
      [`oidc:${issuer}#mallory`, 'Alice Example'],
    ]);
    expect(queryAudit(auditDb(), { user: `oidc:${issuer}#mallory`, limit: 10, format: 'json' })).toHaveLength(
      1,
    );
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
});
