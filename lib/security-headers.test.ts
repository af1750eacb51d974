import { describe, expect, it } from 'vitest';
import nextConfig from '../next.config';
import { proxy, config as proxyConfig } from '../proxy';
import {
  API_CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  createNonce,
  NONCE_HEADER,
  NONZERO_LENGTH,
  nonceKey,
  openNonce,
  PAGE_BODY_PATH,
  pageMethodRefusal,
  sealNonce,
  strictTransportSecurity,
} from './security-headers';

/** The proxy matcher's path pattern, without its leading slash and outer group. */
const matcherPattern = () => proxyConfig.matcher[0]?.source.replace(/^\/\((.*)\)$/, '$1');

/** The sources of one directive of a policy. */
function directive(csp: string, name: string): string[] | undefined {
  const found = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name);
  return found?.slice(1);
}

describe('security headers', () => {
  it('production CSP: scripts only with the nonce, no unsafe-eval, no framing, only this origin', () => {
    const csp = contentSecurityPolicy({ dev: false, nonce: 'abc123==' });
    expect(directive(csp, 'script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(directive(csp, 'style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(directive(csp, 'style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(csp, 'default-src')).toEqual(["'self'"]);
    expect(directive(csp, 'object-src')).toEqual(["'none'"]);
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
  });

  it('development CSP keeps the nonce and adds what React dev tooling and hot reload need', () => {
    const csp = contentSecurityPolicy({ dev: true, nonce: 'abc123' });
    expect(directive(csp, 'script-src')).toEqual([
      "'self'",
      "'nonce-abc123'",
      "'strict-dynamic'",
      "'unsafe-eval'",
    ]);
    expect(directive(csp, 'script-src')).not.toContain("'unsafe-inline'");
    expect(directive(csp, 'connect-src')).toContain('ws:');
  });

  it('a nonce is fresh, 128 bits, and nothing but base64 reaches the header', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
    expect(() => contentSecurityPolicy({ dev: false, nonce: "x'; script-src *" })).toThrow();
  });

  it('the proxy sets a new sealed nonce per request on the response and for the render, replacing a client value', () => {
    const request = (): Parameters<typeof proxy>[0] =>
      new Request('http://localhost/', {
        headers: { [NONCE_HEADER]: 'client', 'content-security-policy': "script-src 'nonce-client'" },
      }) as Parameters<typeof proxy>[0];
    const a = proxy(request());
    const b = proxy(request());
    const csp = a.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(directive(csp, 'script-src')?.join(' ') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(nonce).not.toBe('client');
    expect(b.headers.get('content-security-policy')).not.toBe(csp);
    // NextResponse.next({request: {headers}}) hands the request headers on as x-middleware-request-*.
    const sealed = a.headers.get(`x-middleware-request-${NONCE_HEADER}`);
    expect(openNonce(sealed, nonceKey())).toBe(nonce);
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(a.headers.get('strict-transport-security')).toBeNull();
  });

  it('the layout takes only a nonce with the seal of this key: a client value, a forged or foreign seal is nothing', () => {
    const key = nonceKey('a-secret-of-this-deployment-0123456789');
    const nonce = createNonce();
    expect(openNonce(sealNonce(nonce, key), key)).toBe(nonce);
    expect(openNonce(nonce, key)).toBeUndefined();
    expect(openNonce('evil', key)).toBeUndefined();
    expect(openNonce(null, key)).toBeUndefined();
    expect(openNonce(sealNonce(nonce, nonceKey('another-secret-0123456789abcdef')), key)).toBeUndefined();
    const [, seal] = sealNonce(nonce, key).split('.');
    expect(openNonce(`${createNonce()}.${seal}`, key)).toBeUndefined();
    expect(openNonce(`${nonce}'; script-src *.${seal}`, key)).toBeUndefined();
  });

  it('the proxy refuses every method but GET and HEAD, and any Server Function call, with 405 before Next.js reads it', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['POST', { 'next-action': 'abc' }],
      ['POST', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['POST', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['POST', { 'content-type': 'text/plain' }],
      ['PUT', {}],
      ['DELETE', {}],
      ['OPTIONS', {}],
      ['GET', { 'next-action': 'abc' }],
    ];
    for (const [method, headers] of cases) {
      const res = proxy(
        new Request('http://localhost/login', { method, headers }) as Parameters<typeof proxy>[0],
      );
      expect(res.status, `${method} ${JSON.stringify(headers)}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('x-middleware-next')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY);
    }
    for (const method of ['GET', 'HEAD']) {
      const res = proxy(new Request('http://localhost/login', { method }) as Parameters<typeof proxy>[0]);
      expect(res.headers.get('x-middleware-next')).toBe('1');
    }
  });

  it('HSTS only when the public URL is https, on pages and on refusals', () => {
    expect(strictTransportSecurity('https://cc.example.com')).toBe('max-age=31536000; includeSubDomains');
    for (const url of [undefined, '', 'http://127.0.0.1:3300', 'not a url'])
      expect(strictTransportSecurity(url)).toBeNull();
    const before = process.env.AUTH_URL;
    process.env.AUTH_URL = 'https://cc.example.com';
    try {
      for (const method of ['GET', 'POST']) {
        const res = proxy(new Request('http://localhost/', { method }) as Parameters<typeof proxy>[0]);
        expect(res.headers.get('strict-transport-security'), method).toBe(
          'max-age=31536000; includeSubDomains',
        );
      }
    } finally {
      if (before === undefined) delete process.env.AUTH_URL;
      else process.env.AUTH_URL = before;
    }
  });

  it('the proxy runs on everything but the API and the build assets: pages, not-found paths, /favicon.ico, /_next/image', () => {
    const [matcher] = proxyConfig.matcher;
    const re = new RegExp(`^${matcher?.source}$`);
    for (const page of [
      '/',
      '/login',
      '/audit',
      '/rollouts/demo/webapp',
      '/no-such-page',
      '/favicon.ico',
      '/_next/image',
      '/_next/data/x',
      '/apix',
    ])
      expect(re.test(page), page).toBe(true);
    for (const other of ['/api/v1/stream', '/api/v1/judge', '/api/auth/session', '/_next/static/x.js'])
      expect(re.test(other), other).toBe(false);
    // ...but not when the request carries a body: Next.js would read all of it to copy it for the proxy.
    expect(matcher?.missing).toEqual([
      { type: 'header', key: 'transfer-encoding' },
      { type: 'header', key: 'content-length', value: NONZERO_LENGTH },
    ]);
    const length = new RegExp(`^${NONZERO_LENGTH}$`);
    for (const n of ['1', '10', '0010', '20971520']) expect(length.test(n), n).toBe(true);
    for (const n of ['0', '00', '', '-1']) expect(length.test(n), n).toBe(false);
  });

  it('next.config.ts sends page requests with a body to PAGE_BODY_PATH, before any file or page', async () => {
    const rewrites = await nextConfig.rewrites?.();
    const before = (rewrites && !Array.isArray(rewrites) ? rewrites.beforeFiles : undefined) ?? [];
    expect(before.map((r) => [r.has, r.destination])).toEqual([
      [[{ type: 'header', key: 'transfer-encoding' }], PAGE_BODY_PATH],
      [[{ type: 'header', key: 'content-length', value: NONZERO_LENGTH }], PAGE_BODY_PATH],
    ]);
    for (const r of before) expect(r.source).toBe(`/:path(${matcherPattern()})`);
  });

  it('the refusal a page gives: 405 with Allow (400 for a GET with a body), a closed CSP, HSTS when asked', async () => {
    const refused = pageMethodRefusal(405, null);
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('GET, HEAD');
    expect(refused.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY);
    expect(refused.headers.get('strict-transport-security')).toBeNull();
    expect(await refused.text()).toContain('pages answer GET and HEAD only');
    const get = pageMethodRefusal(400, 'max-age=1');
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('a page request carries no body');
    expect(get.headers.get('strict-transport-security')).toBe('max-age=1');
  });

  it('next.config.ts sends the other headers on every path and a closed CSP on the API', async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const all = rules.find((r) => r.source === '/:path*');
    const names = Object.fromEntries(all?.headers.map((h) => [h.key, h.value]) ?? []);
    expect(names).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    // Pages get theirs from the proxy: a second, static policy here would be enforced too.
    expect(names['Content-Security-Policy']).toBeUndefined();
    const api = rules.find((r) => r.source === '/api/:path*');
    expect(api?.headers).toEqual([{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }]);
    const assets = rules.find((r) => r.source === '/_next/static/:path*');
    expect(assets?.headers).toEqual([{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }]);
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(1024);
    expect(API_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(API_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});
