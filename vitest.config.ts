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
    include: ['{app,components,lib,server,loadgen,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The audit/timeline database of route tests goes to a throwaway folder, never the developer's `.data/`.
    env: { CONTROL_CENTER_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cc-test-data-')) },
  },
});
