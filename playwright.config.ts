import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3310);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Real Chromium from Debian (never `playwright install`), against the production build on a private port. */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  // Files in order within a file; two files at a time. The longest files (judge-lab, judge-outage, walkthrough) wait on
  // the wall clock (step holds, analysis intervals), not the CPU; each worker starts its own lab on free ports, so a
  // judge file runs beside another file's lab as it would beside other tenants on a shared node.
  fullyParallel: false,
  workers: 2,
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The users of server/auth/testdata/control-center.yaml (passwords `<name>-password-1`), a throwaway secret.
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: '',
      CONTROL_CENTER_CONFIG: 'server/auth/testdata/control-center.yaml',
      CONTROL_CENTER_DATA_DIR: 'test-results/e2e-shell-data',
      AUTH_SECRET: `e2e-shell-${Date.now()}-0123456789abcdef0123456789`,
    },
  },
});
