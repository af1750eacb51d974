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

/** Whether `pid` is a process whose command line holds `marker` (after a crash its pid may belong to another by now). */
function ours(pid: number, marker: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false; // gone already (or not Linux)
  }
}

/** Kills a process left over by a previous lab run (it crashed without stopping its children), if it is ours: whether it did. */
export function killStale(pid: number, marker: string): boolean {
  if (!ours(pid, marker)) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/**
 * true while any thread of `pid` is still exiting. A process's sockets and locks are released when its last thread
 * drops them; its main thread can be a zombie before the others have (Linux keeps a group leader as a zombie until
 * every thread exited). Exited threads leave `/proc/<pid>/task`; the leader stays there, a zombie, until reaped.
 */
function holdsResources(pid: number): boolean {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  return tids.some((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return !'ZX'.includes(stat.charAt(stat.lastIndexOf(')') + 2));
    } catch {
      return false;
    }
  });
}

/**
 * killStale, then waits (at most `timeoutMs`) until the process let go of its port and file locks. Its command line
 * empties as soon as it starts to exit, before its sockets close: the check is the state of each of its threads.
 */
export async function killStaleAndWait(pid: number, marker: string, timeoutMs = 10_000): Promise<void> {
  if (!killStale(pid, marker)) return;
  const deadline = Date.now() + timeoutMs;
  while (holdsResources(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
