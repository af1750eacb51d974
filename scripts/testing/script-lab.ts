/**
 * Test support for the scripts: a throwaway lab in this process (the API server over HTTPS with a kubeconfig, the
 * Argo-like controller, pods as real processes), so scripts and kubectl run against it as against `./run.sh lab`. The
 * controller can be held (stopped) and started again: a controller that has not yet acted on a change, as a busy one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import {
  ensureBuilt,
  LOADGEN_ENTRY,
  startController,
  startTestLab,
  startWorkloads,
  type TestLab,
  WEBAPP_ENTRY,
  type Workloads,
} from '@control-center/lab/testing';
import { requireTool } from '../../support/testing/tools';
import { Kube } from '../canary/kube';

export const REPO = path.resolve(__dirname, '../..');

export interface ScriptLab {
  lab: TestLab;
  kube: Kube;
  /** Environment for kubectl and the scripts: KUBECONFIG, HOME and LAB_DIR of this lab, ROOT of the repository. */
  env: NodeJS.ProcessEnv;
  holdController(): Promise<void>;
  releaseController(): void;
  close(): Promise<void>;
}

export async function startScriptLab(): Promise<ScriptLab> {
  requireTool('kubectl');
  ensureBuilt();
  const lab = await startTestLab();
  const workloads: Workloads = startWorkloads({
    store: lab.store,
    dir: lab.dir,
    webappEntry: WEBAPP_ENTRY,
    loadgenEntry: LOADGEN_ENTRY,
    host: '127.0.0.1',
  });
  const start = () => startController({ store: lab.store, log: () => undefined });
  let controller: ReturnType<typeof startController> | null = start();
  return {
    lab,
    kube: new Kube(lab.kubeconfig),
    env: { ...lab.env, LAB_DIR: lab.dir, ROOT: REPO },
    async holdController() {
      await controller?.stop();
      controller = null;
    },
    releaseController() {
      controller ??= start();
    },
    async close() {
      await controller?.stop();
      await workloads.stop();
      await lab.close();
    },
  };
}

/** Runs `script` with bash in the repository (scripts/lib.sh and scripts/local.sh sourced); never throws. */
export function runBash(script: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Ran> {
  return runCommand(
    'bash',
    ['-c', `set -euo pipefail; source scripts/lib.sh; source scripts/local.sh; ${script}`],
    env,
    timeoutMs,
  );
}

export type Ran = { code: number; stdout: string; stderr: string };

/**
 * Runs a command in the repository without blocking this process (the lab answers from it meanwhile); resolves with
 * its exit code and output, rejects only when it outlives `timeoutMs` (then it is killed).
 */
export function runCommand(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(cmd, args, {
      cwd: REPO,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not end within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Polls `fn` until it returns a value (not undefined/false), failing loudly after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
