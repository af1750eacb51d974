import type { NextConfig } from 'next';
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from './lib/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // NEXT_DIST_DIR lets a second build (a bench, a local check) sit beside .next without replacing it.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  // The container image (Dockerfile, NEXT_OUTPUT=standalone) runs .next/standalone/server.js; locally `next start`.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  serverExternalPackages: ['@kubernetes/client-node', 'better-sqlite3', '@node-rs/argon2'],
  async headers() {
    // Pages get their CSP, with a per-request nonce, from proxy.ts.
    return [
      { source: '/:path*', headers: securityHeaders() },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default nextConfig;
