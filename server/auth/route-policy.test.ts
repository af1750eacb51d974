import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_POLICY, MUTATING, matchRoute, PAGE_POLICY } from '@/lib/auth/policy';
import { GUARDED } from './guard';
import { requestAs } from './testing/session';

/**
 * Every route file of the app is in the policy and guarded: the files are enumerated from disk, so a new route or page
 * that is not in the policy, or a handler not made by `guarded`, fails here.
 */
const APP = path.resolve(__dirname, '../../app');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function files(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return files(p, name);
    return f === name ? [p] : [];
  });
}
/** `app/api/v1/rollouts/[namespace]/route.ts` → `/api/v1/rollouts/[namespace]` (route groups dropped). */
const patternOf = (file: string) =>
  `/${path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .join('/')}`;
const SAMPLE: Record<string, string> = {
  namespace: 'demo',
  name: 'webapp',
  action: 'abort',
  nextauth: 'session',
};
const sampleUrl = (pattern: string) =>
  `http://cc.test${pattern.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, k: string) => SAMPLE[k] ?? 'x')}`;
const sampleParams = (pattern: string) =>
  Object.fromEntries(
    [...pattern.matchAll(/\[(\.\.\.)?(\w+)\]/g)].map((m) => [
      m[2],
      m[1] ? [SAMPLE[m[2] as string] ?? 'x'] : (SAMPLE[m[2] as string] ?? 'x'),
    ]),
  );

type RouteModule = Record<string, unknown>;
const routes = files(path.join(APP, 'api'), 'route.ts').map((file) => ({ file, pattern: patternOf(file) }));
const modules = new Map<string, RouteModule>();

beforeAll(async () => {
  process.env.JUDGE_TOKEN = 'judge-token-for-policy-tests-0123';
  process.env.METRICS_TOKEN = 'metrics-token-for-policy-tests-0123';
  process.env.KUBECONFIG = '/nonexistent/kubeconfig';
  for (const r of routes) modules.set(r.pattern, (await import(r.file)) as RouteModule);
}, 120_000);

const handlersOf = (pattern: string) =>
  METHODS.flatMap((m) => {
    const h = modules.get(pattern)?.[m];
    return typeof h === 'function'
      ? [[m, h as (req: Request, ctx: unknown) => Promise<Response>] as const]
      : [];
  });

describe('the route files and the policy', () => {
  it('finds the route files', () => {
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect(routes.map((r) => r.pattern)).toContain('/api/v1/rollouts/[namespace]/[name]/[action]');
  });

  it('every route file is in API_POLICY with exactly its methods, and every policy entry has a file', () => {
    for (const { pattern } of routes) {
      const policy = API_POLICY[pattern];
      expect(policy, `${pattern} has no entry in lib/auth/policy.ts API_POLICY`).toBeDefined();
      expect(
        handlersOf(pattern)
          .map(([m]) => m)
          .sort(),
        pattern,
      ).toEqual(Object.keys(policy ?? {}).sort());
      expect(matchRoute(Object.keys(API_POLICY), new URL(sampleUrl(pattern)).pathname)?.pattern).toBe(
        pattern,
      );
    }
    expect(Object.keys(API_POLICY).sort()).toEqual(routes.map((r) => r.pattern).sort());
  });

  it('every exported handler is made by guarded()', () => {
    for (const { pattern } of routes)
      for (const [m, h] of handlersOf(pattern))
        expect((h as unknown as Record<symbol, unknown>)[GUARDED], `${m} ${pattern}`).toBe(true);
  });

  it('anonymous: 401 JSON error on every API route except health, the judge and metrics (bearer) and next-auth', async () => {
    let checked = 0;
    for (const { pattern } of routes) {
      for (const [method, handler] of handlersOf(pattern)) {
        const permission = API_POLICY[pattern]?.[method as 'GET'];
        const res = await handler(
          await requestAs(null, sampleUrl(pattern), {
            method,
            ...(MUTATING.includes(method)
              ? { body: '{}', headers: { 'content-type': 'application/json' } }
              : {}),
          }),
          { params: Promise.resolve(sampleParams(pattern)) },
        );
        if (permission === 'public')
          expect(res.status, `${method} ${pattern}`).toBe(pattern === '/api/[...path]' ? 404 : 200);
        else if (permission === 'auth') expect(res.status, `${method} ${pattern}`).not.toBe(401);
        else {
          expect(res.status, `${method} ${pattern}`).toBe(401);
          const body = (await res.json()) as { error: { code: string; message: string } };
          const bearer = permission === 'judge' || permission === 'metrics';
          expect(body.error.code).toBe(bearer ? 'unauthorized' : 'unauthenticated');
          expect(body.error.message).toBeTruthy();
          checked++;
        }
        res.body?.cancel().catch(() => undefined);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('viewer: 403 on every mutating route; operator outside its namespaces: 403', async () => {
    let checked = 0;
    for (const { pattern } of routes) {
      for (const [method, handler] of handlersOf(pattern)) {
        const permission = API_POLICY[pattern]?.[method as 'POST'];
        if (!MUTATING.includes(method) || permission === 'auth' || permission === 'public') continue;
        const init = { method, body: '{}', headers: { 'content-type': 'application/json' } };
        const ctx = { params: Promise.resolve(sampleParams(pattern)) };
        const viewer = await handler(await requestAs('viewer', sampleUrl(pattern), init), ctx);
        expect(viewer.status, `viewer ${method} ${pattern}`).toBe(403);
        expect(((await viewer.json()) as { error: { message: string } }).error.message).toMatch(/viewer/);
        const outsider = await handler(await requestAs('outsider', sampleUrl(pattern), init), {
          params: Promise.resolve(sampleParams(pattern)),
        });
        expect(outsider.status, `outsider ${method} ${pattern}`).toBe(403);
        expect(((await outsider.json()) as { error: { message: string } }).error.message).toMatch(
          permission === 'audit' ? /for admins/ : /only in shop/,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(1);
  });

  it('non-admins get 403 from the audit log', async () => {
    const { GET } = modules.get('/api/v1/audit') as { GET: (r: Request) => Promise<Response> };
    for (const user of ['viewer', 'operator'] as const) {
      const res = await GET(await requestAs(user, 'http://cc.test/api/v1/audit'));
      expect(res.status).toBe(403);
    }
    expect((await GET(await requestAs('admin', 'http://cc.test/api/v1/audit'))).status).toBe(200);
  });

  it('every page is in PAGE_POLICY and calls pageAccess with its own pattern', () => {
    const pages = files(APP, 'page.tsx').map((file) => ({ file, pattern: patternOf(file) }));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const { file, pattern } of pages) {
      const p = pattern;
      expect((PAGE_POLICY as Record<string, string>)[p], `${p} has no entry in PAGE_POLICY`).toBeDefined();
      if ((PAGE_POLICY as Record<string, string>)[p] !== 'public')
        expect(readFileSync(file, 'utf8'), `${file} must call pageAccess('${p}')`).toMatch(
          new RegExp(`pageAccess\\(\\s*'${p.replace(/[[\]/.]/g, '\\$&')}'`),
        );
    }
    expect(Object.keys(PAGE_POLICY).sort()).toEqual(pages.map((x) => x.pattern).sort());
  });
});

describe('matchRoute', () => {
  it('prefers static segments over parameters, like Next.js', () => {
    const pats = Object.keys(API_POLICY);
    expect(matchRoute(pats, '/api/v1/rollouts/demo/webapp/timeline')?.pattern).toBe(
      '/api/v1/rollouts/[namespace]/[name]/timeline',
    );
    expect(matchRoute(pats, '/api/v1/rollouts/demo/webapp/abort')).toEqual({
      pattern: '/api/v1/rollouts/[namespace]/[name]/[action]',
      params: { namespace: 'demo', name: 'webapp', action: 'abort' },
    });
    expect(matchRoute(pats, '/api/auth/callback/oidc')?.params).toEqual({ nextauth: 'callback/oidc' });
    // A path no route names falls to the JSON 404 of app/api/[...path]; without it, to nothing.
    expect(matchRoute(pats, '/api/v1/nothing')?.pattern).toBe('/api/[...path]');
    expect(matchRoute(pats, '/api/v1/rollouts/demo/webapp/abort/extra')?.pattern).toBe('/api/[...path]');
    const named = pats.filter((p) => p !== '/api/[...path]');
    expect(matchRoute(named, '/api/v1/nothing')).toBeNull();
    expect(matchRoute(named, '/api/v1/rollouts/demo/webapp/abort/extra')).toBeNull();
    expect(matchRoute(Object.keys(PAGE_POLICY), '/')?.pattern).toBe('/');
  });
});
