/**
 * The processes of one chaos scenario: the lab (its own LAB_DIR, fixed ports so a restart comes back on the same
 * ones, real Prometheus, LAB_CHAOS=1), the demo manifests with the judge pointed at this control center, and the
 * production build of the control center (`next start`), which reaches the lab's API through the fault proxy.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import {
  apiLogin,
  E2E_CONFIG,
  freePort,
  type Proc,
  start,
  startControlCenter,
  until,
} from '../../e2e/lab-fixture';
import { REPO_ROOT } from '../../support/testing/processes';
import { build, buildNeeded } from '../ui/stack';
import { type ApiFaultProxy, startApiFaultProxy } from './api-fault-proxy';

const run = promisify(execFile);

export const log = (msg: string): void => {
  process.stderr.write(`[bench:chaos] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
};

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((e) => newest(path.join(p, e))));
}

/** The control center's production build, and the demo app and load generator the lab runs, built when stale. */
export async function ensureBuilt(): Promise<void> {
  const why = buildNeeded();
  if (why) {
    log(`building the control center: ${why}`);
    await build();
  }
  for (const pkg of ['webapp', 'loadgen']) {
    const dir = path.join(REPO_ROOT, pkg);
    if (newest(path.join(dir, 'dist')) >= newest(path.join(dir, 'src'))) continue;
    log(`building ${pkg} (dist older than src)`);
    await run('npx', ['tsc', '-p', '.'], { cwd: dir, timeout: 300_000 });
  }
}

export interface LabPorts {
  api: number;
  gateway: number;
  prometheus: number;
}

/** The lab program, restartable on the same ports and state (a node that crashed and came back). */
export class Lab {
  proc: Proc | null = null;
  starts = 0;
  ready: { kubeconfig: string; gatewayUrl: string; prometheusUrl: string | null } | null = null;

  private constructor(
    readonly dir: string,
    readonly ports: LabPorts,
  ) {}

  static async create(dir: string): Promise<Lab> {
    mkdirSync(path.join(dir, 'home'), { recursive: true });
    return new Lab(dir, { api: await freePort(), gateway: await freePort(), prometheus: await freePort() });
  }

  get url(): string {
    return `https://127.0.0.1:${this.ports.api}`;
  }

  async start(): Promise<void> {
    this.starts++;
    const proc = start(
      'node',
      ['--import', 'tsx', 'lab/main.ts'],
      {
        LAB_DIR: this.dir,
        LAB_API_PORT: String(this.ports.api),
        LAB_GATEWAY_PORT: String(this.ports.gateway),
        LAB_PROMETHEUS_PORT: String(this.ports.prometheus),
        LAB_PROMETHEUS: 'auto',
        LAB_CHAOS: '1',
      },
      path.join(this.dir, `lab-${this.starts}.log`),
    );
    this.proc = proc;
    const line = await until('the lab', 90_000, async () => {
      if (proc.child.exitCode !== null) throw new Error(`the lab exited: ${proc.output().slice(-3000)}`);
      return proc
        .output()
        .split('\n')
        .find((l) => l.includes('"msg":"ready"'));
    });
    const r = JSON.parse(line) as { kubeconfig?: string; gatewayUrl?: string; prometheusUrl?: string | null };
    if (!r.prometheusUrl)
      throw new Error(
        'the lab started without Prometheus: is the `prometheus` binary on PATH (./run.sh install)?',
      );
    this.ready = {
      kubeconfig: r.kubeconfig ?? path.join(this.dir, 'kubeconfig'),
      gatewayUrl: r.gatewayUrl ?? `http://127.0.0.1:${this.ports.gateway}`,
      prometheusUrl: r.prometheusUrl,
    };
  }

  /** SIGKILL to the lab's whole process group (API server, controllers, gateway and the pods it runs). */
  kill9(): void {
    const pid = this.proc?.child.pid;
    if (pid) process.kill(-pid, 'SIGKILL');
    if (this.proc) writeFileSync(path.join(this.dir, `lab-${this.starts}.log`), this.proc.output());
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    // Prometheus is in the lab's process group; a stopped one (SIGSTOP scenario) is thawed and ended by its pid file.
    const pid = prometheusPid(this.dir);
    if (pid) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async kubectl(...args: string[]): Promise<string> {
    const kubeconfig = this.ready?.kubeconfig ?? path.join(this.dir, 'kubeconfig');
    return (
      await run('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], {
        env: { ...process.env, HOME: path.join(this.dir, 'home') },
        timeout: 30_000,
        maxBuffer: 16 * 1024 * 1024,
      })
    ).stdout;
  }

  adminToken(): string {
    return readFileSync(path.join(this.dir, 'token'), 'utf8').trim();
  }
}

/** The pid of the lab's Prometheus (written by lab/metrics/prometheus.ts), if it is running. */
export function prometheusPid(labDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(labDir, 'prometheus', 'prometheus.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}

/** manifests/app with the judge pointed at `ccUrl` and its token in Secret demo/control-center-judge. */
export async function applyDemo(lab: Lab, ccUrl: string, token: string, quick: boolean): Promise<void> {
  const out = path.join(lab.dir, 'manifests');
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(path.join(REPO_ROOT, 'manifests/app'))) {
    if (!f.endsWith('.yaml')) continue;
    let text = readFileSync(path.join(REPO_ROOT, 'manifests/app', f), 'utf8').replaceAll(
      'http://127.0.0.1:3300',
      ccUrl,
    );
    if (quick && f === '50-rollout.yaml') text = quickSteps(text);
    writeFileSync(path.join(out, f), text);
  }
  writeFileSync(
    path.join(out, '99-judge-secret.yaml'),
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: control-center-judge\n  namespace: demo\ntype: Opaque\ndata:\n  token: ${Buffer.from(token).toString('base64')}\n`,
  );
  await lab.kubectl('apply', '-f', out);
}

/** --quick: one analysis at 30 % instead of three (10/30/60 %), so a canary takes about a minute. */
function quickSteps(text: string): string {
  const docs = YAML.parseAllDocuments(text);
  const ro = docs[0]?.toJS() as { spec: { strategy: { canary: { steps: Array<Record<string, unknown>> } } } };
  const steps = ro.spec.strategy.canary.steps;
  const analysis = steps.find((s) => 'analysis' in s);
  ro.spec.strategy.canary.steps = [{ setWeight: 30 }, ...(analysis ? [analysis] : []), { setWeight: 100 }];
  return YAML.stringify(ro);
}

export interface ControlCenter {
  url: string;
  proc: Proc;
  starts: number;
  restart: () => Promise<void>;
  kill9: () => void;
  stop: () => Promise<void>;
}

/** `next start` of the production build on `port`, its kube API through `proxy`, its data in `dataDir`. */
export async function startCc(opts: {
  lab: Lab;
  proxy: ApiFaultProxy;
  port: number;
  dataDir: string;
  judgeToken: string;
}): Promise<ControlCenter> {
  const { lab, proxy } = opts;
  const kubeconfig = path.join(lab.dir, 'cc-kubeconfig');
  const kc = YAML.parse(readFileSync(lab.ready?.kubeconfig ?? '', 'utf8')) as {
    clusters: Array<{ cluster: { server: string } }>;
  };
  for (const c of kc.clusters) c.cluster.server = proxy.url;
  writeFileSync(kubeconfig, YAML.stringify(kc), { mode: 0o600 });
  const url = `http://127.0.0.1:${opts.port}`;
  const env = {
    KUBECONFIG: kubeconfig,
    KUBERNETES_SERVICE_HOST: '',
    JUDGE_TOKEN: opts.judgeToken,
    CONTROL_CENTER_CONFIG: E2E_CONFIG,
    CONTROL_CENTER_DATA_DIR: opts.dataDir,
    AUTH_SECRET: `chaos-${Date.now()}-${Math.random().toString(36).slice(2)}-0123456789abcdef`,
    PROMETHEUS_URL: lab.ready?.prometheusUrl ?? '',
    METRICS_WINDOW_URL: '',
    LOADGEN_TARGET_URL: `${lab.ready?.gatewayUrl}/api/work`,
  };
  let starts = 0;
  const launch = () => {
    starts++;
    return startControlCenter(opts.port, env, path.join(lab.dir, `control-center-${starts}.log`));
  };
  const cc: ControlCenter = {
    url,
    proc: await launch(),
    get starts() {
      return starts;
    },
    kill9: () => {
      if (cc.proc.child.pid) process.kill(-cc.proc.child.pid, 'SIGKILL');
    },
    restart: async () => {
      await cc.proc.stop();
      cc.proc = await launch();
    },
    stop: () => cc.proc.stop(),
  };
  return cc;
}

export { apiLogin, startApiFaultProxy };
