import { type NextRequest, NextResponse } from 'next/server';
import {
  contentSecurityPolicy,
  createNonce,
  NONCE_HEADER,
  nonceKey,
  PAGE_METHODS,
  pageMethodRefusal,
  sealNonce,
  strictTransportSecurity,
} from './lib/security-headers';

/** React's Server Function call header (next/dist/client/components/app-router-headers ACTION_HEADER). */
const ACTION_HEADER = 'next-action';

/**
 * Every request that is not an API route or a build asset. Pages take GET and HEAD only: anything else (a form
 * post, a Server Function call, any other method) gets 405 here, before Next.js looks at it, so React's Server
 * Function decoder is never reached (the app has none). For the rest, a fresh CSP nonce: the policy goes on the
 * response, and on the request too (Next.js takes the nonce from the request's CSP header for its own scripts; the
 * root layout takes the sealed NONCE_HEADER). Values a client sent under these names are replaced. HSTS when the
 * public URL is https. Pages and route handlers do their own authentication (server/auth).
 */
export function proxy(request: NextRequest): Response {
  const hsts = strictTransportSecurity(process.env.AUTH_URL);
  if (!PAGE_METHODS.includes(request.method) || request.headers.has(ACTION_HEADER))
    return pageMethodRefusal(405, hsts);
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ dev: process.env.NODE_ENV === 'development', nonce });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, sealNonce(nonce, nonceKey()));
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  if (hsts) response.headers.set('strict-transport-security', hsts);
  return response;
}

export const config = {
  // Everything but the API (guarded route handlers that read their own bodies, with their own headers:
  // server/http/edge.ts) and the build's static files (next.config.ts gives them a closed CSP). So /favicon.ico,
  // /_next/image, prefetches and not-found pages all pass here. Except requests with a body: Next.js would read
  // the whole of it (to copy it for the proxy) before the proxy could refuse; next.config.ts sends those to
  // PAGE_BODY_PATH instead, where they are refused unread.
  matcher: [
    {
      source: '/((?!api/|_next/static/).*)',
      missing: [
        // Literals only: Next.js reads this object at build time (lib/security-headers.test.ts keeps it in step).
        { type: 'header', key: 'transfer-encoding' },
        { type: 'header', key: 'content-length', value: '0*[1-9][0-9]*' },
      ],
    },
  ],
};
