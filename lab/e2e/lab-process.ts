import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { freePort, REPO_ROOT } from '../../support/testing/processes';
import { type ApiResult, type KubectlResult, labRequest, runKubectl } from '../testing/lab-client';

export type { ApiResult, KubectlResult } from '../testing/lab-client';

export interface LabPorts {
  api: number;
  gateway: number;
  prometheus: number;
}

export interface LabOptions {
  /** Start Prometheus (LAB_PROMETHEUS=auto); default off. */
  prometheus?: boolean;
  scrapeIntervalSeconds?: number;
}

/** The real lab program (`node --import tsx lab/main.ts`) on free ports with its own temp LAB_DIR. */
export class LabProcess {
  readonly kubeconfig: string;
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  prometheusUrl: string | null = null;
  token = '';
  caPem = '';
  private child: ChildProcess | null = null;
  private out = '';

  private constructor(
    readonly dir: string,
    readonly ports: LabPorts,
    private readonly opts: LabOptions,
  ) {
    this.kubeconfig = path.join(dir, 'kubeconfig');
    this.apiUrl = `https://127.0.0.1:${ports.api}`;
    this.gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    mkdirSync(path.join(dir, 'home'), { recursive: true });
  }

  static async start(opts: LabOptions = {}): Promise<LabProcess> {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-e2e-'));
    const ports = { api: await freePort(), gateway: await freePort(), prometheus: await freePort() };
    const lab = new LabProcess(dir, ports, opts);
    await lab.launch();
    return lab;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the lab printed (last 50 kB), for failure messages. */
  output(): string {
    return this.out;
  }

  /** Starts the program (again, with the same LAB_DIR and ports) and waits for its `ready` line. */
  async launch(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lab/main.ts'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LAB_DIR: this.dir,
        LAB_HOST: '127.0.0.1',
        LAB_API_PORT: String(this.ports.api),
        LAB_GATEWAY_PORT: String(this.ports.gateway),
        LAB_PROMETHEUS_PORT: String(this.ports.prometheus),
        LAB_PROMETHEUS: this.opts.prometheus ? 'auto' : 'off',
        LAB_SCRAPE_INTERVAL_SECONDS: String(this.opts.scrapeIntervalSeconds ?? 5),
      },
    });
    this.child = child;
    const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`lab not ready after ${timeoutMs} ms:\n${this.out}`)),
        timeoutMs,
      );
      let line = '';
      child.stdout?.on('data', (d: Buffer) => {
        this.keep(d);
        line += d.toString();
        for (let nl = line.indexOf('\n'); nl >= 0; nl = line.indexOf('\n')) {
          const one = line.slice(0, nl);
          line = line.slice(nl + 1);
          if (one.includes('"msg":"ready"')) {
            clearTimeout(timer);
            resolve(JSON.parse(one) as Record<string, unknown>);
          }
        }
      });
      child.stderr?.on('data', (d: Buffer) => this.keep(d));
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`lab exited (${code ?? sig}) before ready:\n${this.out}`));
      });
    });
    const info = await ready;
    this.prometheusUrl = typeof info.prometheusUrl === 'string' ? info.prometheusUrl : null;
    const kc = YAML.parse(readFileSync(this.kubeconfig, 'utf8')) as {
      clusters: Array<{ cluster: { 'certificate-authority-data': string } }>;
      users: Array<{ user: { token: string } }>;
    };
    this.caPem = Buffer.from(
      kc.clusters[0]?.cluster['certificate-authority-data'] ?? '',
      'base64',
    ).toString();
    this.token = kc.users[0]?.user.token ?? '';
  }

  private keep(d: Buffer): void {
    this.out = (this.out + d.toString()).slice(-50_000);
  }

  /** SIGKILL: the lab gets no chance to stop its pods or Prometheus (the next launch must cope). */
  async killNine(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM (then SIGKILL after 25 s); resolves with the exit code. */
  async terminate(): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const gone = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const code = await gone;
    clearTimeout(timer);
    return code;
  }

  /** Stops the lab, kills whatever it left behind (found by its LAB_DIR), removes the folder. Never throws. */
  async stop(): Promise<void> {
    await this.terminate().catch(() => undefined);
    for (const pid of processesMentioning(this.dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Pids of live processes (other than this test) whose command line or environment names the LAB_DIR. */
  leftovers(): number[] {
    return processesMentioning(this.dir);
  }

  /** The real kubectl with this lab's kubeconfig and a HOME of its own; never throws. */
  kubectl(args: string[], input?: string, timeoutMs = 30_000): Promise<KubectlResult> {
    return runKubectl(['--kubeconfig', this.kubeconfig, ...args], {
      env: this.kubectlEnv(),
      cwd: REPO_ROOT,
      input,
      timeoutMs,
    });
  }

  /** A long-running kubectl (e.g. `get -w`); the caller kills it. */
  spawnKubectl(args: string[]): ChildProcess {
    return spawn('kubectl', ['--kubeconfig', this.kubeconfig, ...args], {
      cwd: REPO_ROOT,
      env: this.kubectlEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private kubectlEnv(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: path.join(this.dir, 'home'), KUBECONFIG: this.kubeconfig };
  }

  /** One HTTPS request with the lab's token; a non-string body is sent as JSON. */
  api(
    method: string,
    urlPath: string,
    opts: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
  ): Promise<ApiResult> {
    return labRequest({
      url: `${this.apiUrl}${urlPath}`,
      method,
      ca: this.caPem,
      token: this.token,
      body: opts.body,
      contentType: opts.contentType,
      timeoutMs: opts.timeoutMs ?? 15_000,
    });
  }
}

function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes(marker) || env.includes(marker)) pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}
