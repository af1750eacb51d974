/**
 * The security headers. Pages get their Content-Security-Policy from proxy.ts, with a fresh nonce per request:
 * Next.js reads the nonce from the request's CSP header and puts it on its own scripts (runtime, chunks, the
 * streamed payload); the root layout puts it on the theme script. No inline script runs without it, and
 * `unsafe-eval` is there only in development (React's dev tooling needs it). Everything else (next.config.ts
 * `headers()`): only this origin, no framing, no plugins, no referrer across origins.
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The request header through which proxy.ts hands the nonce to the server components, sealed (`sealNonce`): a
 * client can send this header too, so the root layout takes only a nonce with the proxy's seal (`openNonce`).
 */
export const NONCE_HEADER = 'x-nonce';

/** The methods a page answers; everything else (a form post, a Server Function call) is refused by proxy.ts. */
export const PAGE_METHODS: readonly string[] = ['GET', 'HEAD'];

/**
 * Where next.config.ts rewrites a page request that carries a body (Transfer-Encoding, or a Content-Length above 0):
 * such requests skip proxy.ts (Next.js would read the whole body to copy it for the proxy) and go to this API path,
 * whose guard refuses them unread (server/http/edge.ts). Pages take no bodies.
 */
export const PAGE_BODY_PATH = '/api/pages-take-no-body';

/** A header value regex (next.config `has`/`missing`) for a Content-Length above 0. */
export const NONZERO_LENGTH = '0*[1-9][0-9]*';

/** The answer to a page request that is not a plain GET or HEAD: 405, or 400 for a GET that carries a body. */
export function pageMethodRefusal(status: 400 | 405, hsts: string | null): Response {
  const get = status === 400;
  const res = new Response(
    get
      ? 'Bad Request: a page request carries no body.\n'
      : 'Method Not Allowed: pages answer GET and HEAD only, and this server has no Server Functions.\n',
    {
      status,
      headers: {
        allow: PAGE_METHODS.join(', '),
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': API_CONTENT_SECURITY_POLICY,
      },
    },
  );
  if (hsts) res.headers.set('strict-transport-security', hsts);
  return res;
}

/** HSTS, only when the public URL is https (a browser ignores it over http, and localhost stays usable). */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  if (!publicUrl) return null;
  try {
    return new URL(publicUrl).protocol === 'https:' ? 'max-age=31536000; includeSubDomains' : null;
  } catch {
    return null;
  }
}

const FALLBACK_KEY = Symbol.for('control-center.nonce-key');

/** The key of the nonce seal: derived from AUTH_SECRET (the proxy and the pages share it), else per process. */
export function nonceKey(secret = process.env.AUTH_SECRET): Buffer {
  if (secret) return createHmac('sha256', secret).update('csp-nonce-seal').digest();
  const g = globalThis as { [FALLBACK_KEY]?: Buffer };
  g[FALLBACK_KEY] ??= randomBytes(32);
  return g[FALLBACK_KEY];
}

function mac(nonce: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(nonce).digest();
}

/** `nonce.seal`: what the proxy hands on. */
export function sealNonce(nonce: string, key: Buffer): string {
  return `${nonce}.${mac(nonce, key).toString('base64url')}`;
}

/** The nonce of a sealed value, or undefined when the value is missing, malformed or not sealed with `key`. */
export function openNonce(value: string | null, key: Buffer): string | undefined {
  const m = /^([A-Za-z0-9+/]{16,}={0,2})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m?.[1] || !m[2]) return undefined;
  const given = Buffer.from(m[2], 'base64url');
  const want = mac(m[1], key);
  return given.length === want.length && timingSafeEqual(given, want) ? m[1] : undefined;
}

/** 128 random bits, base64: unpredictable and unique per request. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export interface CspOptions {
  dev: boolean;
  nonce: string;
}

/** The CSP of a page response. */
export function contentSecurityPolicy({ dev, nonce }: CspOptions): string {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(nonce)) throw new Error('a CSP nonce is base64');
  return [
    "default-src 'self'",
    // No script-src-elem/-attr: Next.js takes the nonce from the first directive that starts with `script-src`.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // <style> elements need the nonce. Style attributes cannot carry one, and the server renders some (the
    // widths of the weight and progress bars), so only attributes may be inline. The dev overlay injects styles.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    ...(dev ? [] : ["style-src-attr 'unsafe-inline'"]),
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP of API responses (JSON, SSE): nothing in them may load or run anything, nor be framed. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The headers of every response (the CSP is set per response kind: proxy.ts for pages, next.config.ts for the rest). */
export function securityHeaders(): Array<{ key: string; value: string }> {
  return [
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ];
}
