import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { PRIVATE_FILE_MODE } from '../../support/files/private-files';

export interface KubeconfigInput {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  token: string;
}

/** Writes `<dir>/kubeconfig` (cluster `lab`, user `lab-admin`, context `lab`, current) and returns its path. */
export async function writeKubeconfig(dir: string, input: KubeconfigInput): Promise<string> {
  const file = path.join(dir, 'kubeconfig');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'lab',
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'lab-admin', user: { token: input.token } }],
    contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'lab-admin' } }],
    'current-context': 'lab',
    preferences: {},
  };
  await writeFile(file, stringify(doc), { mode: PRIVATE_FILE_MODE });
  await chmod(file, PRIVATE_FILE_MODE);
  return file;
}
