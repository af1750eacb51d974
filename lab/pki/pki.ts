import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PRIVATE_FILE_MODE, privateDir } from '../../support/files/private-files';

const run = promisify(execFile);

export interface LabPki {
  /** PEM of the lab's certificate authority (goes into the kubeconfig). */
  caPem: string;
  /** PEM of the API server's serving certificate (SAN IP:127.0.0.1, DNS:localhost). */
  certPem: string;
  /** PEM of the serving certificate's private key. */
  keyPem: string;
  /** The bearer token every API request must carry. */
  token: string;
}

const FILES = ['ca.crt', 'ca.key', 'server.crt', 'server.key'] as const;

/**
 * Creates on first start, and reuses afterwards, the lab's CA and serving certificate under `<dir>/pki/` and a random
 * bearer token in `<dir>/token`, all 0600 in 0700 folders. Uses the openssl CLI (EC P-256 keys).
 */
export async function ensurePki(dir: string): Promise<LabPki> {
  const pkiDir = path.join(dir, 'pki');
  privateDir(dir);
  if (!FILES.every((f) => existsSync(path.join(pkiDir, f)))) await generate(dir, pkiDir);
  const [caPem, certPem, keyPem] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key'].map((f) => readFile(path.join(pkiDir, f), 'utf8')),
  );
  return { caPem: caPem ?? '', certPem: certPem ?? '', keyPem: keyPem ?? '', token: await ensureToken(dir) };
}

async function ensureToken(dir: string): Promise<string> {
  const file = path.join(dir, 'token');
  if (existsSync(file)) {
    const token = (await readFile(file, 'utf8')).trim();
    if (token) return token;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: PRIVATE_FILE_MODE });
  await chmod(file, PRIVATE_FILE_MODE);
  return token;
}

async function generate(dir: string, pkiDir: string): Promise<void> {
  const tmp = await mkdtemp(path.join(dir, '.pki-'));
  const p = (f: string) => path.join(tmp, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await writeFile(
      p('ca.cnf'),
      '[v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n',
    );
    await writeFile(
      p('server.cnf'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        'authorityKeyIdentifier=keyid',
        '',
      ].join('\n'),
    );
    await run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      p('ca.key'),
      '-out',
      p('ca.crt'),
      '-days',
      '3650',
      '-subj',
      '/CN=lab-ca',
      '-config',
      p('ca.cnf'),
      '-extensions',
      'v3_ca',
    ]);
    await run('openssl', [
      'req',
      ...ec,
      '-keyout',
      p('server.key'),
      '-out',
      p('server.csr'),
      '-subj',
      '/CN=lab-apiserver',
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      p('server.csr'),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('server.crt'),
      '-days',
      '825',
      '-extfile',
      p('server.cnf'),
    ]);
    // openssl writes certificates 0644 (keys 0600): the whole folder is the owner's alone.
    for (const f of await readdir(tmp)) await chmod(p(f), PRIVATE_FILE_MODE);
    await rm(pkiDir, { recursive: true, force: true });
    await rename(tmp, pkiDir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`lab pki: openssl failed: ${(err as Error).message}`);
  }
}
