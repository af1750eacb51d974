import type { NextConfig } from 'next';
import { securityHeaders } from './lib/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The container image (Dockerfile) runs .next/standalone/server.js; `next start` keeps working for run.sh.
  output: 'standalone',
  serverExternalPackages: ['@kubernetes/client-node', 'better-sqlite3', '@node-rs/argon2'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders(process.env.NODE_ENV === 'development') }];
  },
};

export default nextConfig;
