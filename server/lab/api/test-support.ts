import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensurePki, writeKubeconfig } from '../pki';
import { LabStore } from '../store/lab-store';
import { type ApiServer, startApiServer } from './server';
import { validateObject } from './validate-object';

const run = promisify(execFile);

export interface TestLab {
  dir: string;
  store: LabStore;
  server: ApiServer;
  token: string;
  caPem: string;
  kubeconfig: string;
  /** Runs the real kubectl against the lab; never throws (look at code/stderr). */
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** One raw HTTPS request to the lab (token unless `auth: false`); the body is JSON-encoded unless a string. */
  api(
    method: string,
    path: string,
    opts?: { body?: unknown; contentType?: string; auth?: boolean; accept?: string },
  ): Promise<{ status: number; json: unknown; text: string }>;
  /** Environment for spawning kubectl yourself. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** A throwaway lab: store on a temp dir, the API server on a free port, a kubeconfig and a fresh HOME for kubectl. */
export async function startTestLab(
  opts: { historySize?: number; bookmarkIntervalMs?: number } = {},
): Promise<TestLab> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-api-'));
  const pki = await ensurePki(dir);
  const store = new LabStore({
    file: path.join(dir, 'lab.db'),
    validate: validateObject,
    historySize: opts.historySize,
  });
  const server = await startApiServer({
    store,
    port: 0,
    token: pki.token,
    tlsKey: pki.keyPem,
    tlsCert: pki.certPem,
    logDir: path.join(dir, 'logs'),
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
  });
  const kubeconfig = await writeKubeconfig(dir, { server: server.url, caPem: pki.caPem, token: pki.token });
  const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig, KUBECTL_EXTERNAL_DIFF: '' };
  const kubectl = async (args: string[], input?: string) => {
    const child = run('kubectl', ['--cache-dir', path.join(dir, 'cache'), ...args], { env, timeout: 20_000 });
    if (input !== undefined) child.child.stdin?.end(input);
    try {
      const { stdout, stderr } = await child;
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return {
        code: typeof e.code === 'number' ? e.code : 1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      };
    }
  };
  const api: TestLab['api'] = (method, urlPath, o = {}) =>
    new Promise((resolve, reject) => {
      const payload =
        o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      const req = request(
        `${server.url}${urlPath}`,
        {
          method,
          ca: pki.caPem,
          headers: {
            ...(o.auth === false ? {} : { Authorization: `Bearer ${pki.token}` }),
            ...(payload !== undefined ? { 'Content-Type': o.contentType ?? 'application/json' } : {}),
            ...(o.accept ? { Accept: o.accept } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, json, text });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    dir,
    api,
    store,
    server,
    token: pki.token,
    caPem: pki.caPem,
    kubeconfig,
    kubectl,
    env,
    close: async () => {
      await server.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
