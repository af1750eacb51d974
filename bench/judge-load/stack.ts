/**
 * The processes of `bench:judge-load`, each on 127.0.0.1, a free port and its own folder under one temp root:
 * the fleet's kube API (kube-api.ts), the gateway replicas' scrape target (scrape-target.ts), Prometheus (Debian's
 * `prometheus` on PATH) scraping both replicas every 5 s, and the production build of the control center
 * (`next start` with package.json's config.nodeFlags) pointed at both, with a JUDGE_TOKEN.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { findOnPath } from '@control-center/lab/testing';
import YAML from 'yaml';
import { E2E_CONFIG, SERVER_NODE_FLAGS } from '../../e2e/lab-fixture';
import { freePort, REPO_ROOT, waitForHttp } from '../../support/testing/processes';
import type { TargetConfig } from './scrape-target';

export const log = (msg: string): void => {
  process.stderr.write(`[bench:judge-load] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
};

export interface Child {
  name: string;
  child: ChildProcess;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns a program, keeps its last output, and resolves with the first stdout line that is a JSON object. */
export async function spawnReady(
  name: string,
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ proc: Child; ready: Record<string, unknown> }> {
  const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Child = {
    name,
    child,
    pid: child.pid ?? 0,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      keep(d);
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line.startsWith('{')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        }
      }
    });
    child.stderr?.on('data', keep);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? sig}) before ready:\n${out}`));
    });
  });
  return { proc, ready };
}

export interface KubeApiInfo {
  proc: Child;
  url: string;
  kubeconfig: string;
  token: string;
  caPem: string;
  statsUrl: string;
}

export async function startKubeApi(root: string): Promise<KubeApiInfo> {
  const dir = path.join(root, 'kube');
  mkdirSync(dir, { recursive: true });
  const { proc, ready } = await spawnReady(
    'kube api',
    process.execPath,
    ['--import', 'tsx', 'bench/judge-load/kube-api.ts'],
    { ...process.env, LAB_DIR: dir },
  );
  return {
    proc,
    url: String(ready.api),
    kubeconfig: String(ready.kubeconfig),
    token: String(ready.token),
    caPem: String(ready.caPem),
    statsUrl: String(ready.statsUrl),
  };
}

export async function startScrapeTarget(cfg: TargetConfig): Promise<{ proc: Child; urls: string[] }> {
  const { proc, ready } = await spawnReady(
    'scrape target',
    process.execPath,
    ['--import', 'tsx', 'bench/judge-load/scrape-target.ts', JSON.stringify(cfg)],
    process.env,
  );
  return { proc, urls: ready.urls as string[] };
}

/** Prometheus with one job (`envoy-stats`) scraping every gateway replica each `intervalSeconds`. */
export async function startPrometheus(
  root: string,
  targetUrls: string[],
  intervalSeconds: number,
): Promise<{ proc: Child; url: string }> {
  const binary = findOnPath('prometheus');
  if (!binary)
    throw new Error('prometheus is not on PATH: apt-get install --no-install-recommends prometheus');
  const dir = path.join(root, 'prometheus');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const first = new URL(targetUrls[0] ?? '');
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    YAML.stringify({
      global: { scrape_interval: `${intervalSeconds}s`, scrape_timeout: `${intervalSeconds}s` },
      scrape_configs: [
        {
          job_name: 'envoy-stats',
          metrics_path: first.pathname,
          static_configs: [{ targets: targetUrls.map((u) => new URL(u).host) }],
        },
      ],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--storage.tsdb.retention.time=2h',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Child = {
    name: 'prometheus',
    child,
    pid: child.pid ?? 0,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
  try {
    await waitForHttp(`${url}/-/ready`, 30_000);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return { proc, url };
}

const NEXT_BIN = 'node_modules/next/dist/bin/next';

/**
 * A private copy of the project for `next start`: every top-level entry linked, `.next` copied (without its cache),
 * so a `next build` someone runs in the work tree meanwhile cannot change the server under measurement.
 */
function shadowProject(root: string): string {
  const dir = path.join(root, 'project');
  mkdirSync(dir);
  for (const e of readdirSync(REPO_ROOT)) {
    if (e === '.next' || e === '.git') continue;
    symlinkSync(path.join(REPO_ROOT, e), path.join(dir, e));
  }
  cpSync(path.join(REPO_ROOT, '.next'), path.join(dir, '.next'), {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(REPO_ROOT, '.next/cache')),
  });
  return dir;
}

export interface ControlCenter {
  proc: Child;
  url: string;
  judgeToken: string;
  buildId: string;
  /** The inspector port SIGUSR1 opens (for profiler.ts), when started with `inspect`. */
  inspectPort: number | null;
}

export async function startControlCenter(
  root: string,
  opts: { kubeconfig: string; prometheusUrl: string; inspect: boolean },
): Promise<ControlCenter> {
  const project = shadowProject(root);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const judgeToken = `judge-load-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  // The inspector stays closed until the bench sends SIGUSR1 to profile; then it listens on this loopback port.
  const inspectPort = opts.inspect ? await freePort() : null;
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      ...(inspectPort ? [`--inspect-port=127.0.0.1:${inspectPort}`] : []),
      path.join(project, NEXT_BIN),
      'start',
      project,
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
    ],
    {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        KUBECONFIG: opts.kubeconfig,
        KUBERNETES_SERVICE_HOST: '',
        PROMETHEUS_URL: opts.prometheusUrl,
        METRICS_WINDOW_URL: '',
        JUDGE_TOKEN: judgeToken,
        CONTROL_CENTER_CONFIG: E2E_CONFIG,
        CONTROL_CENTER_DATA_DIR: path.join(root, 'cc-data'),
        AUTH_SECRET: `judge-load-${Date.now()}-${Math.random().toString(36).slice(2)}-0123456789abcdef`,
      },
    },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-50_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Child = {
    name: 'control center',
    child,
    pid: child.pid ?? 0,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
  try {
    await waitForHttp(`${url}/api/health`, 90_000);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  const buildId = readFileSync(path.join(project, '.next/BUILD_ID'), 'utf8').trim();
  return { proc, url, judgeToken, buildId, inspectPort };
}

export function tempRoot(tmp: string): string {
  return mkdtempSync(path.join(tmp, 'judge-load-'));
}
