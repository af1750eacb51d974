import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiServer, type ApiServerOptions, startApiServer } from '../api/server';
import { validateObject } from '../api/validate-object';
import { type StartControllerOptions, startController } from '../controller';
import { startLabKubelet } from '../controller/test-helpers';
import { ensurePki, writeKubeconfig } from '../pki';
import { LabStore } from '../store/lab-store';
import { labRequest, runKubectl } from './lab-client';

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
  /** Stops the API server and starts it again on the same port and store (`between` runs while it is down). */
  restartApi(between?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface TestLabOptions {
  historySize?: number;
  bookmarkIntervalMs?: number;
  chaos?: ApiServerOptions['chaos'];
  /** Runs the lab's kubelet and ReplicaSet/Job controllers: every pod a real webapp process (see startLabKubelet). */
  workloads?: boolean;
  /** Runs the lab's Argo Rollouts controller (Rollouts and AnalysisRuns) with these settings. */
  controller?: Omit<StartControllerOptions, 'store'>;
}

/**
 * A throwaway lab: store on a temp dir, the API server on a free port, a kubeconfig and a fresh HOME for kubectl; with
 * `workloads` and `controller`, pods run and Rollouts progress as on `./run.sh lab`. `close()` stops all of it.
 */
export async function startTestLab(opts: TestLabOptions = {}): Promise<TestLab> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-api-'));
  const pki = await ensurePki(dir);
  const serve = (port: number) =>
    startApiServer({
      store,
      port,
      token: pki.token,
      tlsKey: pki.keyPem,
      tlsCert: pki.certPem,
      logDir: path.join(dir, 'logs'),
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
      chaos: opts.chaos,
    });
  const store = new LabStore({
    file: path.join(dir, 'lab.db'),
    validate: validateObject,
    historySize: opts.historySize,
  });
  let server = await serve(0);
  const kubeconfig = await writeKubeconfig(dir, { server: server.url, caPem: pki.caPem, token: pki.token });
  const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig, KUBECTL_EXTERNAL_DIFF: '' };
  const kubectl = (args: string[], input?: string) =>
    runKubectl(['--cache-dir', path.join(dir, 'cache'), ...args], { env, input, timeoutMs: 20_000 });
  const api: TestLab['api'] = (method, urlPath, o = {}) =>
    labRequest({
      url: `${server.url}${urlPath}`,
      method,
      ca: pki.caPem,
      token: o.auth === false ? null : pki.token,
      body: o.body,
      contentType: o.contentType,
      accept: o.accept,
    });
  const lab: TestLab = {
    dir,
    api,
    store,
    server,
    token: pki.token,
    caPem: pki.caPem,
    kubeconfig,
    kubectl,
    env,
    async restartApi(between) {
      const port = server.port;
      await server.close();
      await between?.();
      server = await serve(port);
      lab.server = server;
    },
    close: async () => {
      await Promise.all(running.map((r) => r.stop()));
      await server.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const running: Array<{ stop(): Promise<void> }> = [];
  if (opts.workloads) running.push(startLabKubelet(store));
  if (opts.controller) running.push(startController({ ...opts.controller, store }));
  return lab;
}
