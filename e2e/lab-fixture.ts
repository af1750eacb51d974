import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test as base } from '@playwright/test';

/**
 * A real lab for the e2e tests (worker-scoped fixture, so no other project pays for it): the lab program on free
 * ports with its own temp state, manifests/app/ applied with kubectl, the demo Rollout Healthy, and the production
 * build of the control center pointed at it. Every process started here is stopped (its process group) afterwards.
 */
const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

export interface Lab {
  url: string;
  dir: string;
  kubeconfig: string;
  kubectl: (...args: string[]) => Promise<string>;
  /** Kills the control center (SIGKILL, no shutdown) and starts it again on the same port and data. */
  restartControlCenter: () => Promise<void>;
  /** Sends a signal to the control center's process group (SIGSTOP freezes it as a hung pod would be, SIGCONT thaws it). */
  signalControlCenter: (signal: NodeJS.Signals) => void;
  /** The lab's gateway (`http://127.0.0.1:<port>`; its Istio metrics at `/stats/prometheus`). */
  gatewayUrl?: string;
  /** The lab's Prometheus, which the control center reads (PROMETHEUS_URL); only with `labOptions.prometheus`. */
  prometheusUrl?: string;
}

/** Per spec file (`test.use({ labOptions: { prometheus: true } })`): a lab of its own, started this way. */
export interface LabOptions {
  /**
   * Real Prometheus (the `prometheus` binary) scraping the lab's gateway, and the control center's judge reading it
   * (PROMETHEUS_URL). Off by default: the judge then reads the gateway's window endpoint.
   */
  prometheus: boolean;
}

/** The heap bounds the control center ships with (package.json `config.nodeFlags`; `npm start` and the image use them). */
export const SERVER_NODE_FLAGS: string[] = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config: { nodeFlags: string } }
).config.nodeFlags
  .split(' ')
  .filter(Boolean);

/** The users of the e2e control center (passwords `<name>-password-1`; see server/auth/testdata/). */
export const E2E_CONFIG = path.join(ROOT, 'server/auth/testdata/control-center.yaml');

/** Signs in through next-auth's API (csrf token + credentials); returns the Cookie header. */
export async function apiLogin(url: string, user: string, password = `${user}-password-1`): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${url}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, username: user, password, json: 'true' }).toString(),
  });
  keep(res);
  if (!jar.get('next-auth.session-token')) throw new Error(`login as ${user} failed: ${res.status}`);
  return cookie();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function start(cmd: string, args: string[], env: Record<string, string>, logFile: string): Proc {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() ends the lab's pods (child processes) too
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-50_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      signal('SIGKILL'); // anything left in the group (pods the lab started)
      writeFileSync(logFile, out);
    },
  };
}

export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms ${last}`);
}

export interface LabProgram {
  kubeconfig: string;
  windowUrl?: string;
  gatewayUrl?: string;
  prometheusUrl?: string;
  kubectl: (...args: string[]) => Promise<string>;
}

/**
 * The lab program on free ports with its state under `dir` (Prometheus off unless asked for: then it must start, or
 * this fails naming the missing tool); resolves once it says ready.
 */
export async function startLabProgram(
  dir: string,
  procs: Proc[],
  opts: Partial<LabOptions> = {},
): Promise<LabProgram> {
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const [api, gateway, prom] = [await freePort(), await freePort(), await freePort()];
  const labProc = start(
    'node',
    ['--import', 'tsx', 'lab/main.ts'],
    {
      LAB_DIR: dir,
      LAB_API_PORT: String(api),
      LAB_GATEWAY_PORT: String(gateway),
      LAB_PROMETHEUS_PORT: String(prom),
      LAB_PROMETHEUS: opts.prometheus ? 'auto' : 'off',
    },
    path.join(dir, 'lab.log'),
  );
  procs.push(labProc);
  const ready = await until('the lab', 60_000, async () => {
    if (labProc.child.exitCode !== null) throw new Error(`the lab exited: ${labProc.output()}`);
    for (const line of labProc.output().split('\n')) {
      if (!line.includes('"msg":"ready"')) continue;
      return JSON.parse(line) as {
        kubeconfig?: string;
        windowUrl?: string;
        gatewayUrl?: string;
        prometheusUrl?: string | null;
      };
    }
    return undefined;
  });
  if (opts.prometheus && !ready.prometheusUrl)
    throw new Error(
      `the lab started without Prometheus: is the \`prometheus\` binary on PATH (./run.sh install)? ${labProc.output().slice(-2000)}`,
    );
  const kubeconfig = ready.kubeconfig ?? path.join(dir, 'kubeconfig');
  const kubectl = async (...args: string[]) =>
    (
      await run('kubectl', ['--kubeconfig', kubeconfig, ...args], {
        env: { ...process.env, HOME: home },
        timeout: 30_000,
      })
    ).stdout;
  return {
    kubeconfig,
    windowUrl: ready.windowUrl,
    gatewayUrl: ready.gatewayUrl,
    prometheusUrl: ready.prometheusUrl ?? undefined,
    kubectl,
  };
}

/** The production build of the control center on `port` with `env`; resolves once /api/health answers. */
export async function startControlCenter(
  port: number,
  env: Record<string, string>,
  logFile: string,
): Promise<Proc> {
  const proc = start(
    'node',
    [...SERVER_NODE_FLAGS, 'node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)],
    env,
    logFile,
  );
  try {
    await until('the control center', 60_000, async () => {
      if (proc.child.exitCode !== null) throw new Error(`the control center exited: ${proc.output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5000) });
      return res.ok ? true : undefined;
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

async function startLab(opts: LabOptions): Promise<{ lab: Lab; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-e2e-'));
  const procs: Proc[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) await p.stop();
    rmSync(path.join(dir, 'home'), { recursive: true, force: true });
  };
  try {
    const { kubeconfig, kubectl, ...ready } = await startLabProgram(dir, procs, opts);
    const cc = await freePort();
    const url = `http://127.0.0.1:${cc}`;

    // The demo manifests, with the judge pointed at this control center, and the judge's token.
    const token = `e2e-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const manifests = path.join(dir, 'manifests');
    mkdirSync(manifests);
    for (const f of readdirSync(path.join(ROOT, 'manifests/app'))) {
      const text = readFileSync(path.join(ROOT, 'manifests/app', f), 'utf8');
      writeFileSync(path.join(manifests, f), text.replaceAll('http://127.0.0.1:3300', url));
    }
    writeFileSync(
      path.join(manifests, '99-judge-secret.yaml'),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: control-center-judge\n  namespace: demo\ntype: Opaque\ndata:\n  token: ${Buffer.from(token).toString('base64')}\n`,
    );
    await kubectl('apply', '-f', manifests);

    const ccEnv = {
      KUBECONFIG: kubeconfig,
      KUBERNETES_SERVICE_HOST: '',
      JUDGE_TOKEN: token,
      CONTROL_CENTER_CONFIG: E2E_CONFIG,
      CONTROL_CENTER_DATA_DIR: path.join(dir, 'cc-data'),
      AUTH_SECRET: `e2e-${Math.random().toString(36).slice(2)}-${Date.now()}-0123456789abcdef`,
      ...(ready.windowUrl ? { METRICS_WINDOW_URL: ready.windowUrl } : {}),
      ...(ready.prometheusUrl ? { PROMETHEUS_URL: ready.prometheusUrl } : {}),
      // Load runs from the Load panel go to this lab's gateway (not the default 127.0.0.1:8081).
      ...(ready.gatewayUrl ? { LOADGEN_TARGET_URL: `${ready.gatewayUrl}/api/work` } : {}),
    };
    const startCc = () => startControlCenter(cc, ccEnv, path.join(dir, `control-center-${procs.length}.log`));
    let ccProc = await startCc();
    procs.push(ccProc);
    const cookie = await apiLogin(url, 'viewer');
    await until('demo/webapp Healthy', 90_000, async () => {
      if (ccProc.child.exitCode !== null) throw new Error(`the control center exited: ${ccProc.output()}`);
      const res = await fetch(`${url}/api/v1/rollouts/demo/webapp`, {
        signal: AbortSignal.timeout(5000),
        headers: { cookie },
      });
      if (!res.ok) return undefined;
      const v = (await res.json()) as { phase?: string };
      return v.phase === 'Healthy' ? true : undefined;
    });
    const restartControlCenter = async () => {
      if (ccProc.child.pid) process.kill(-ccProc.child.pid, 'SIGKILL');
      await ccProc.stop();
      ccProc = await startCc();
      procs.push(ccProc);
    };
    const signalControlCenter = (signal: NodeJS.Signals) => {
      if (ccProc.child.pid) process.kill(-ccProc.child.pid, signal);
    };
    return {
      lab: {
        url,
        dir,
        kubeconfig,
        kubectl,
        restartControlCenter,
        signalControlCenter,
        gatewayUrl: ready.gatewayUrl,
        prometheusUrl: ready.prometheusUrl,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export const test = base.extend<object, { lab: Lab; labOptions: LabOptions }>({
  labOptions: [{ prometheus: false }, { scope: 'worker', option: true }],
  lab: [
    async ({ labOptions }, use) => {
      const started = await startLab(labOptions);
      try {
        await use(started.lab);
      } finally {
        await started.stop();
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  // Pages of these tests go to the control center that watches the lab.
  baseURL: async ({ lab }, use) => {
    await use(lab.url);
  },
});

export { expect } from '@playwright/test';
