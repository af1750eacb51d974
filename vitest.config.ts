import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(__dirname),
      // 'server-only' throws outside React Server Components; tests run server code directly.
      'server-only': path.resolve(__dirname, 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    include: ['{app,components,lib,server,lab,support,loadgen,scripts,bench}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The audit/timeline database of route tests goes to a throwaway folder, never the developer's `.data/`.
    // Route tests sign in as the users of server/auth/testdata/control-center.yaml (server/auth/testing/session.ts).
    env: {
      CONTROL_CENTER_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cc-test-data-')),
      // Never the developer's PostgreSQL: tests that need one start their own (server/testing/postgres.ts).
      DATABASE_URL: '',
      CONTROL_CENTER_CONFIG: path.resolve(__dirname, 'server/auth/testdata/control-center.yaml'),
      AUTH_SECRET: 'vitest-auth-secret-0123456789abcdef0123456789',
    },
  },
});
