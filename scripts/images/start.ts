/**
 * Starts a natively built image the way the cluster runs it: only the final stage's files, read-only (the
 * Deployments set readOnlyRootFilesystem) except the folders the Dockerfile hands to the runtime user, as an
 * unprivileged user. As root the process drops to nobody (setpriv); otherwise it runs as the current user, and
 * read-only means `chmod -R a-w` of the tree.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type BuiltStage, hostPath } from './build';

export const NOBODY = 65534;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function walk(p: string, visit: (p: string) => void): void {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return;
  visit(p);
  if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e), visit);
}

/** Read-only tree, writable mounts, and every folder above the tree searchable by the unprivileged user. */
export function lockDown(stage: BuiltStage, workDir: string): string[] {
  walk(stage.root, (p) => chmodSync(p, lstatSync(p).mode & 0o7555));
  const tmp = '/tmp';
  const writable = [...new Set([...stage.writable, tmp])];
  for (const w of writable) {
    const host = hostPath(stage, w);
    mkdirSync(host, { recursive: true });
    walk(host, (p) => {
      chmodSync(p, lstatSync(p).mode | 0o200);
      if (isRoot()) chownSync(p, NOBODY, NOBODY);
    });
  }
  // mkdtemp makes the work folder private: the unprivileged user must be able to enter it.
  chmodSync(workDir, lstatSync(workDir).mode | 0o555);
  return writable;
}

/** Makes the tree removable again. */
export function unlock(dir: string): void {
  if (!existsSync(dir)) return;
  walk(dir, (p) => chmodSync(p, lstatSync(p).mode | 0o700));
}

/** An image path in ENV or argv (`/data`, `/app/dist/cli.js`) maps into the stage folder when the stage has it. */
function mapPath(stage: BuiltStage, value: string): string {
  if (!value.startsWith('/')) return value;
  const top = value.split('/')[1];
  return top && existsSync(path.join(stage.root, top)) ? hostPath(stage, value) : value;
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs ENTRYPOINT + CMD (or argv instead of CMD) from the image's WORKDIR with its ENV plus overrides. */
export function startImage(stage: BuiltStage, overrides: Record<string, string>, args?: string[]): Started {
  const argv = [...(stage.entrypoint ?? []), ...(args ?? stage.cmd ?? [])].map((a) => mapPath(stage, a));
  if (argv.length === 0) throw new Error('the image has neither ENTRYPOINT nor CMD');
  if (!stage.user || stage.user === 'root' || stage.user.startsWith('0')) {
    throw new Error(`the image runs as ${stage.user ?? 'root'} (no USER): it must run unprivileged`);
  }
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [k, v] of Object.entries(stage.env)) env[k] = mapPath(stage, v);
  env.TMPDIR = hostPath(stage, '/tmp');
  Object.assign(env, overrides);
  let cmd = argv;
  if (isRoot()) {
    const setpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' });
    if (setpriv.error)
      throw new Error('setpriv is not installed (Debian package util-linux): needed to drop root');
    cmd = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...argv];
  }
  const child = spawn(cmd[0] as string, cmd.slice(1), {
    cwd: hostPath(stage, '.'),
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', (e) => {
      out += `\n${e.message}`;
      resolve(-1);
    });
  });
  return { child, output: () => out, exited };
}

/** Stops the process group (SIGTERM, then SIGKILL after 10 s). */
export async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null || s.child.pid === undefined) return;
  const pid = s.child.pid;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await s.exited;
  clearTimeout(timer);
}
