import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_JS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'server.js');

export type LogLine = { event?: string; level?: string; [key: string]: unknown };

export type RunningServer = {
  proc: ChildProcess;
  port: number;
  url: string;
  stdout: () => string;
  stderr: () => string;
  logs: () => LogLine[];
  /** Resolves with the first log line (stdout or stderr) matching the predicate. */
  waitForLog: (predicate: (line: LogLine) => boolean, timeoutMs?: number) => Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: () => Promise<void>;
};

const running = new Set<ChildProcess>();

function parseLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Spawns `node dist/server.js` with the given env (port 0 on 127.0.0.1 unless told). */
export function spawnServer(env: Record<string, string> = {}): {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: RunningServer['exited'];
} {
  const proc = spawn(process.execPath, [SERVER_JS], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', WARMUP_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    proc.on('exit', (code, signal) => {
      running.delete(proc);
      resolveExit({ code, signal });
    });
  });
  return { proc, stdout: () => out, stderr: () => err, exited };
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const { proc, stdout, stderr, exited } = spawnServer(env);
  const logs = () => [...parseLines(stdout()), ...parseLines(stderr())];
  const waitForLog = async (predicate: (line: LogLine) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = logs().find(predicate);
      if (found) return found;
      if (proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`log line not seen within ${timeoutMs} ms\nstdout:\n${stdout()}\nstderr:\n${stderr()}`);
  };
  const started = await waitForLog((line) => line.event === 'started');
  const port = Number(started.port);
  return {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout,
    stderr,
    logs,
    waitForLog,
    exited,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Kills every server a test left running (use in afterEach). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((done) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return done();
          proc.once('exit', () => done());
          proc.kill('SIGKILL');
        }),
    ),
  );
}
