import { type NextRequest, NextResponse } from 'next/server';
import {
  API_CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  createNonce,
  NONCE_HEADER,
  nonceKey,
  PAGE_METHODS,
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
export function proxy(request: NextRequest): NextResponse {
  const hsts = strictTransportSecurity(process.env.AUTH_URL);
  if (!PAGE_METHODS.includes(request.method) || request.headers.has(ACTION_HEADER)) {
    const refused = new NextResponse(
      'Method Not Allowed: pages answer GET and HEAD only, and this server has no Server Functions.\n',
      {
        status: 405,
        headers: {
          allow: PAGE_METHODS.join(', '),
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': API_CONTENT_SECURITY_POLICY,
        },
      },
    );
    if (hsts) refused.headers.set('strict-transport-security', hsts);
    return refused;
  }
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
  // /_next/image, prefetches and not-found pages all pass here.
  matcher: ['/((?!api/|_next/static/).*)'],
};
