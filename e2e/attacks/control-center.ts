import { randomBytes } from 'node:crypto';
import type { TestInfo } from '@playwright/test';
import { E2E_CONFIG, freePort, type Proc, startControlCenter } from '../lab-fixture';

export interface BareControlCenter {
  url: string;
  /** The server's process id (its memory and the bytes it read are in /proc/<pid>). */
  pid: number;
  proc: Proc;
}

/**
 * The production build of the control center on a free port, with the test users, no cluster and no metrics, and
 * its own data folder: for attacks on the HTTP edge, which come before any of that. `env` overrides (AUTH_URL...).
 */
export async function startBareControlCenter(
  testInfo: TestInfo,
  env: Record<string, string> = {},
): Promise<BareControlCenter> {
  const port = await freePort();
  const proc = await startControlCenter(
    port,
    {
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: '',
      CONTROL_CENTER_CONFIG: E2E_CONFIG,
      CONTROL_CENTER_DATA_DIR: testInfo.outputPath(`cc-data-${port}`),
      AUTH_SECRET: `e2e-attack-${randomBytes(16).toString('hex')}`,
      ...env,
    },
    testInfo.outputPath(`control-center-${port}.log`),
  );
  const pid = proc.child.pid;
  if (!pid) throw new Error('the control center has no process id');
  return { url: `http://127.0.0.1:${port}`, pid, proc };
}
