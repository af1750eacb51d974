import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, createNonce, NONCE_HEADER } from './lib/security-headers';

/**
 * A fresh CSP nonce for every page request. The policy goes on the response, and on the request too: Next.js
 * takes the nonce from the request's CSP header for its own scripts; the root layout reads NONCE_HEADER. Values a
 * client sent under these names are replaced. Nothing else happens here: pages and route handlers do their own
 * authentication (server/auth), so a matcher change cannot open a route.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ dev: process.env.NODE_ENV === 'development', nonce });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Pages only (prefetches included, so the layout never sees a client's own NONCE_HEADER). The API (its own
  // fixed CSP in next.config.ts, streams untouched) and the build's static files pass by.
  matcher: ['/((?!api/|_next/static/|_next/image|favicon\\.ico).*)'],
};
