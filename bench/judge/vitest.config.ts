/**
 * The bench's own tests: `npx vitest run --config bench/judge/vitest.config.ts` (the root config only includes
 * app, components, lib, server, loadgen and scripts). Same aliases and environment as the root config; only the
 * bench's files.
 */
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config';

export default defineConfig({
  ...root,
  root: path.resolve(__dirname, '..', '..'),
  test: { ...root.test, include: ['bench/judge/**/*.test.ts'] },
});
