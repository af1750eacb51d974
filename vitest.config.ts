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
    // Three files at a time on 2 cores: most integration files wait on real servers (labs, Prometheus, PostgreSQL), not
    // the CPU (`npx vitest run`, 203 files: 313 s with two workers, 231 s with three).
    // Each file owns what it starts (free ports, mkdtemp folders); its audit/timeline database folder comes from
    // server/testing/vitest-setup.ts, made per file before the file's imports run.
    maxWorkers: 3,
    setupFiles: ['server/testing/vitest-setup.ts'],
    // Route tests sign in as the users of server/auth/testdata/control-center.yaml (server/auth/testing/session.ts).
    env: {
      // Never the developer's PostgreSQL: tests that need one start their own (server/testing/postgres.ts).
      DATABASE_URL: '',
      CONTROL_CENTER_CONFIG: path.resolve(__dirname, 'server/auth/testdata/control-center.yaml'),
      AUTH_SECRET: 'vitest-auth-secret-0123456789abcdef0123456789',
    },
  },
});
