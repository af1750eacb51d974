import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeMergedKubeconfig } from '../server/kube/testing/merged-kubeconfig';
import { freePort, type Proc, startControlCenter } from './lab-fixture';

/**
 * A control center of its own over two labs, merged into one kubeconfig as contexts `lab-a` and `lab-b`, with
 * `config` (YAML text, which lists both contexts) as CONTROL_CENTER_CONFIG and its data and log under `dir`.
 * The process joins `procs`; the answer is its URL.
 */
export async function startTwoContextControlCenter(opts: {
  dir: string;
  procs: Proc[];
  labA: { kubeconfig: string };
  labB: { kubeconfig: string };
  config: string;
  name: string;
}): Promise<string> {
  const { dir } = opts;
  const file = path.join(dir, 'control-center.yaml');
  writeFileSync(file, opts.config);
  const port = await freePort();
  opts.procs.push(
    await startControlCenter(
      port,
      {
        KUBECONFIG: writeMergedKubeconfig(path.join(dir, 'kubeconfig-two-contexts'), [
          ['lab-a', opts.labA.kubeconfig],
          ['lab-b', opts.labB.kubeconfig],
        ]),
        KUBERNETES_SERVICE_HOST: '',
        CONTROL_CENTER_CONFIG: file,
        CONTROL_CENTER_DATA_DIR: path.join(dir, 'cc-data'),
        AUTH_SECRET: `e2e-${opts.name}-${Date.now()}-0123456789abcdef0123456789`,
      },
      path.join(dir, 'control-center.log'),
    ),
  );
  return `http://127.0.0.1:${port}`;
}
