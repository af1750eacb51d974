/** Test support: elector-child.ts started as a real process, its JSON event lines collected as they come. */
import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '@/support/testing/processes';

export interface ElectorEvent {
  event: string;
  at: number;
  holder?: string;
  message?: string;
}

export interface ElectorProcess {
  proc: ChildProcess;
  /** Every event line printed so far, in order. */
  events: ElectorEvent[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `env`: the child's variables (KUBECONFIG, ELECTOR_ID, LEASE_* …; see elector-child.ts) over this process's. */
export function spawnElector(env: Record<string, string>): ElectorProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/kube/testing/elector-child.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const events: ElectorEvent[] = [];
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      events.push(JSON.parse(buf.slice(0, nl)) as ElectorEvent);
      buf = buf.slice(nl + 1);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once('exit', (code, signal) => r({ code, signal })),
  );
  return { proc, events, exited };
}
