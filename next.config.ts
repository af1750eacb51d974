import type { NextConfig } from 'next';
import {
  API_CONTENT_SECURITY_POLICY,
  NONZERO_LENGTH,
  PAGE_BODY_PATH,
  securityHeaders,
} from './lib/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // NEXT_DIST_DIR lets a second build (a bench, a local check) sit beside .next without replacing it.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  // NEXT_BROWSER_SOURCE_MAPS=1 writes the browser's source maps beside its chunks: what makes up the first-load JS.
  productionBrowserSourceMaps: process.env.NEXT_BROWSER_SOURCE_MAPS === '1',
  // The container image (Dockerfile, NEXT_OUTPUT=standalone) runs .next/standalone/server.js; locally `next start`.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  experimental: {
    // The body copy Next.js makes for proxy.ts: requests with a body never reach it (rewrites below), so keep it tiny.
    proxyClientMaxBodySize: 1024,
  },
  serverExternalPackages: ['@kubernetes/client-node', 'better-sqlite3', '@node-rs/argon2'],
  async rewrites() {
    // A page request with a body skips proxy.ts (see its matcher) and is refused unread at PAGE_BODY_PATH.
    const pages = '/:path((?!api/|_next/static/).*)';
    return {
      beforeFiles: [
        { source: pages, has: [{ type: 'header', key: 'transfer-encoding' }], destination: PAGE_BODY_PATH },
        {
          source: pages,
          has: [{ type: 'header', key: 'content-length', value: NONZERO_LENGTH }],
          destination: PAGE_BODY_PATH,
        },
      ],
      afterFiles: [],
      fallback: [],
    };
  },
  async headers() {
    // Pages (and every other path but these two) get their CSP, with a per-request nonce, from proxy.ts.
    const closed = [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }];
    return [
      { source: '/:path*', headers: securityHeaders() },
      { source: '/api/:path*', headers: closed },
      { source: '/_next/static/:path*', headers: closed },
    ];
  },
};

export default nextConfig;
