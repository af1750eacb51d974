import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appendPrivateFile, openPrivateLog, privateDir } from '../../support/files/private-files';

export interface SpawnSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  child: ChildProcess;
  exited: Promise<Exit>;
}

/** Starts a process whose output is appended to its log file. Spawn errors surface as an exit with code 127. */
export function spawnLogged(spec: SpawnSpec): RunningProcess {
  privateDir(path.dirname(spec.logFile));
  const fd = openPrivateLog(spec.logFile);
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', fd, fd],
    } as SpawnOptions);
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      appendPrivateFile(spec.logFile, `lab: failed to start ${spec.command}: ${err.message}\n`);
      resolve({ code: 127, signal: null });
    });
  });
  return { child, exited };
}

/** SIGTERM, then SIGKILL after `graceMs` if the process is still there. Resolves once it exited. */
export async function terminate(proc: RunningProcess, graceMs: number): Promise<Exit> {
  const { child } = proc;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, graceMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a process left over by a previous lab run (it crashed without stopping its children), if it is ours. */
export function killStale(pid: number, marker: string): void {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(marker)) process.kill(pid, 'SIGKILL');
  } catch {
    // gone already (or not Linux): nothing to do
  }
}

/** true while `pid` holds its resources: a zombie (exited, not yet reaped) has let go of its sockets and locks. */
function holdsResources(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * killStale, then waits (at most `timeoutMs`) until the process let go of its port and file locks. Its command line
 * empties as soon as it starts to exit, before its sockets close: the check is its state, not its command line.
 */
export async function killStaleAndWait(pid: number, marker: string, timeoutMs = 10_000): Promise<void> {
  let ours = false;
  try {
    ours = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return;
  }
  if (!ours) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (holdsResources(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
