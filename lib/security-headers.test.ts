import { describe, expect, it } from 'vitest';
import nextConfig from '../next.config';
import { proxy, config as proxyConfig } from '../proxy';
import {
  API_CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  createNonce,
  NONCE_HEADER,
} from './security-headers';

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

  it('the proxy sets a new nonce per request on the response and for the render, replacing a client value', () => {
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
    expect(a.headers.get(`x-middleware-request-${NONCE_HEADER}`)).toBe(nonce);
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
  });

  it('the proxy runs on pages, never on the API (its streams and bearer tokens) or build assets', () => {
    const [source] = proxyConfig.matcher;
    const re = new RegExp(`^${source}$`);
    for (const page of ['/', '/login', '/audit', '/rollouts/demo/webapp', '/no-such-page'])
      expect(re.test(page), page).toBe(true);
    for (const other of ['/api/v1/stream', '/api/v1/judge', '/api/auth/session', '/_next/static/x.js'])
      expect(re.test(other), other).toBe(false);
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
    expect(API_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(API_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});
