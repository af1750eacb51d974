/**
 * The three images and what proves each one works once built: the control center answers /api/health, the webapp
 * /healthz, and loadgen completes a short run against a local HTTP server. Every check is real HTTP on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { freePort } from '../../support/testing/processes';
import type { BuiltStage } from './build';
import { type Started, startImage, stop } from './start';

export interface ImageSpec {
  name: string;
  /** Build context, relative to the repository root; the Dockerfile is <context>/Dockerfile. */
  context: string;
  check: (stage: BuiltStage, root: string) => Promise<string>;
}

const LISTEN_TIMEOUT_MS = 90_000;

/** Polls GET url until it answers 200, the process exits, or the time is up; returns the body. */
async function waitHealthy(url: string, s: Started): Promise<string> {
  const deadline = Date.now() + LISTEN_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void s.exited.then((c) => {
    exitCode = c;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`exited (${exitCode}) before ${url} answered:\n${s.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.status === 200) return body;
      last = `HTTP ${res.status} ${body.slice(0, 200)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url} did not answer 200 within ${LISTEN_TIMEOUT_MS / 1000} s (last: ${last}):\n${s.output()}`,
  );
}

async function httpCheck(stage: BuiltStage, env: Record<string, string>, urlPath: string): Promise<string> {
  const port = await freePort();
  const s = startImage(stage, { ...env, PORT: String(port) });
  try {
    const body = await waitHealthy(`http://127.0.0.1:${port}${urlPath}`, s);
    return `GET ${urlPath} -> 200 ${body.slice(0, 120)}`;
  } finally {
    await stop(s);
  }
}

export const IMAGES: ImageSpec[] = [
  {
    name: 'control-center',
    context: '.',
    check: (stage, root) =>
      httpCheck(
        stage,
        {
          // As the Deployment does, bar the address: 127.0.0.1 only (servers in tests never listen wider).
          HOSTNAME: '127.0.0.1',
          // The mounted config file and the Secret's AUTH_SECRET of the Deployment; no cluster to talk to.
          CONTROL_CENTER_CONFIG: path.join(root, 'server/auth/testdata/control-center.yaml'),
          AUTH_SECRET: randomBytes(32).toString('hex'),
          KUBECONFIG: '',
          KUBERNETES_SERVICE_HOST: '',
        },
        '/api/health',
      ),
  },
  {
    name: 'webapp',
    context: 'webapp',
    check: (stage) => httpCheck(stage, { HOST: '127.0.0.1', VERSION: 'v-image-check' }, '/healthz'),
  },
  {
    name: 'loadgen',
    context: 'loadgen',
    check: async (stage) => {
      const server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end('{"version":"v-image-check"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
      const s = startImage(stage, {}, ['-n', '20', '-c', '2', '--json', '--fail-on-error', url]);
      try {
        const code = await Promise.race([
          s.exited,
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), LISTEN_TIMEOUT_MS)),
        ]);
        if (code !== 0) throw new Error(`loadgen exited ${code}:\n${s.output()}`);
        const summary = JSON.parse(s.output().trim().split('\n').at(-1) ?? '{}') as {
          total?: number;
          ok?: number;
          versions?: Record<string, number>;
        };
        if (summary.total !== 20 || summary.ok !== 20 || summary.versions?.['v-image-check'] !== 20) {
          throw new Error(`expected 20 ok requests of version v-image-check, got:\n${s.output()}`);
        }
        return `20 requests, 20 ok, version v-image-check`;
      } finally {
        await stop(s);
        server.close();
      }
    },
  },
];
