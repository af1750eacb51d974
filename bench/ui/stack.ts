import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabProcess } from '@control-center/lab/testing';
import { parse, stringify } from 'yaml';
import { E2E_CONFIG, SERVER_NODE_FLAGS } from '../../e2e/lab-fixture';
import {
  freePort,
  REPO_ROOT,
  type Started,
  startProcess,
  waitForHttp,
} from '../../support/testing/processes';

const NEXT_BIN = 'node_modules/next/dist/bin/next';
/** What the production build is made from (tests and test data are not part of it; the lab lives outside these folders). */
const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'server',
  'instrumentation.ts',
  'middleware.ts',
  'proxy.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
const notBuilt = (p: string) => /\.test\.tsx?$/.test(p) || p.includes(`${path.sep}testdata${path.sep}`);

const log = (msg: string): void => {
  process.stderr.write(`[bench:ui] ${msg}\n`);
};

function newestInput(p: string): number {
  if (!existsSync(p) || notBuilt(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((e) => newestInput(path.join(p, e))));
}

/** The reason `.next` needs a build, or null when it is newer than every input. */
export function buildNeeded(): string | null {
  const id = path.join(REPO_ROOT, '.next/BUILD_ID');
  if (!existsSync(id)) return '.next has no production build';
  const built = statSync(id).mtimeMs;
  const newest = Math.max(...BUILD_INPUTS.map((f) => newestInput(path.join(REPO_ROOT, f))));
  return newest > built ? 'sources changed since the last build' : null;
}

/** `next build` in the work tree (retried: another build in the same tree makes one fail). */
export async function build(attempts = 3): Promise<void> {
  for (let i = 1; ; i++) {
    log(`next build (attempt ${i} of ${attempts}) ...`);
    const err = await new Promise<Error | null>((resolve) =>
      execFile(
        process.execPath,
        [NEXT_BIN, 'build'],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
          timeout: 10 * 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (e, stdout, stderr) =>
          resolve(
            e
              ? new Error(`${e.message}\n${String(stdout).slice(-3000)}${String(stderr).slice(-3000)}`)
              : null,
          ),
      ),
    );
    if (!err) return;
    if (i >= attempts) throw err;
    const tail = err.message.trim().split('\n').slice(-6).join('\n  ');
    log(`build failed, retrying in 20 s:\n  ${tail}`);
    await new Promise((r) => setTimeout(r, 20_000));
  }
}

/**
 * A private copy of the project for `next start`: every top-level entry linked, `.next` copied (without its cache),
 * so a `next build` run by someone else in the work tree meanwhile cannot change the server under measurement.
 */
function shadowProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-bench-ui-'));
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

/**
 * The e2e users with stream caps wide enough for the bench's 500 streams of one viewer (the shipped default is 8 per
 * user and 500 in all): the fan-out is what is measured, not the caps.
 */
function benchConfig(dir: string): string {
  const cfg = parse(readFileSync(E2E_CONFIG, 'utf8')) as Record<string, unknown>;
  const file = path.join(dir, 'control-center.yaml');
  writeFileSync(file, stringify({ ...cfg, streams: { perUser: 1000, total: 1000 } }));
  return file;
}

/** A field of the lab's `ready` line (e.g. its metrics window endpoint). */
function readyField(lab: LabProcess, field: string): string | undefined {
  const line = lab
    .output()
    .split('\n')
    .find((l) => l.includes('"msg":"ready"'));
  const v = line ? (JSON.parse(line) as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export interface Stack {
  lab: LabProcess;
  url: string;
  /** The `next start` process (one PID). */
  ccPid: number;
  buildId: string;
  stop: () => Promise<void>;
}

/**
 * The real lab (temp LAB_DIR, free ports, no Prometheus) with manifests/app applied, and the production build of the
 * control center on a free port pointed at it, with the e2e users. `stop()` ends both and removes their folders.
 */
export async function startStack(): Promise<Stack> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const lab = await LabProcess.start({ prometheus: false });
    cleanups.push(() => lab.stop());
    const applied = await lab.kubectl(['apply', '-f', 'manifests/app/']);
    if (applied.code !== 0) throw new Error(`kubectl apply: ${applied.stderr}`);

    const project = shadowProject();
    cleanups.push(() => rmSync(project, { recursive: true, force: true }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const cc: Started = startProcess(
      process.execPath,
      [
        ...SERVER_NODE_FLAGS,
        path.join(project, NEXT_BIN),
        'start',
        project,
        '-H',
        '127.0.0.1',
        '-p',
        String(port),
      ],
      {
        NEXT_TELEMETRY_DISABLED: '1',
        KUBECONFIG: lab.kubeconfig,
        KUBERNETES_SERVICE_HOST: '',
        PROMETHEUS_URL: '',
        METRICS_WINDOW_URL: readyField(lab, 'windowUrl'),
        CONTROL_CENTER_CONFIG: benchConfig(project),
        CONTROL_CENTER_DATA_DIR: path.join(project, 'cc-data'),
        AUTH_SECRET: `bench-ui-${Date.now()}-${Math.random().toString(36).slice(2)}-0123456789abcdef`,
      },
    );
    cleanups.push(() => cc.stop());
    await waitForHttp(`${url}/api/health`, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${cc.output()}`);
    });
    const buildId = readFileSync(path.join(project, '.next/BUILD_ID'), 'utf8').trim();
    return { lab, url, ccPid: cc.child.pid ?? 0, buildId, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** VmRSS and VmHWM (peak) of a process in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export { log };
