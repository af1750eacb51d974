import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { type LabProgram, type Proc, startLabProgram, until } from './lab-fixture';

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

type Rollout = {
  metadata: { generation: number };
  spec: { paused?: boolean; template: { spec: { containers: Array<{ image: string }> } } };
  status?: { phase?: string; currentStepIndex?: number; observedGeneration?: string };
};

/**
 * The restart story of `./run.sh local`: a canary of webapp:v1.2 paused for a human at its analysis step is still
 * there, at the same step, after the lab program is stopped (SIGTERM, as Ctrl-C of ./run.sh local) and started again
 * on the same state folder, and the start's seed (scripts/local.sh seed_demo_if_absent) ran both times.
 */
test('a paused canary survives the lab stopped and started again, at the same step', async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-restart-'));
  const procs: Proc[] = [];
  const stopAll = async () => {
    for (const p of procs.splice(0).reverse()) await p.stop();
  };
  try {
    const seed = async (lab: LabProgram) =>
      run(
        'bash',
        [
          '-c',
          'set -euo pipefail; source scripts/lib.sh; source scripts/local.sh; ensure_judge_token >/dev/null; seed_demo_if_absent',
        ],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            ROOT,
            LAB_DIR: dir,
            KUBECONFIG: lab.kubeconfig,
            HOME: path.join(dir, 'home'),
          },
          timeout: 60_000,
        },
      );
    const rollout = async (lab: LabProgram) =>
      JSON.parse(await lab.kubectl('-n', 'demo', 'get', 'rollout', 'webapp', '-o', 'json')) as Rollout;

    let lab = await startLabProgram(dir, procs);
    expect((await seed(lab)).stdout).toContain('rollout.argoproj.io/webapp created');
    await until('demo/webapp Healthy', 90_000, async () =>
      (await rollout(lab)).status?.phase === 'Healthy' ? true : undefined,
    );
    await lab.kubectl(
      '-n',
      'demo',
      'patch',
      'rollout',
      'webapp',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"webapp:v1.2"}]',
    );
    await until('the canary at its analysis step', 60_000, async () =>
      ((await rollout(lab)).status?.currentStepIndex ?? 0) >= 1 ? true : undefined,
    );
    await lab.kubectl(
      '-n',
      'demo',
      'patch',
      'rollout',
      'webapp',
      '--type',
      'merge',
      '-p',
      '{"spec":{"paused":true}}',
    );
    const before = await until('Paused', 30_000, async () => {
      const ro = await rollout(lab);
      return ro.status?.phase === 'Paused' && ro.status.observedGeneration === String(ro.metadata.generation)
        ? ro
        : undefined;
    });

    await stopAll(); // ./run.sh local stopped
    lab = await startLabProgram(dir, procs); // and started again on the same state
    const again = await seed(lab);
    expect(again.stderr).toBe('');
    expect(again.stdout).not.toContain('created (manifests/app)');

    const after = await until('the controller after the restart', 60_000, async () => {
      const ro = await rollout(lab);
      return ro.status?.observedGeneration === String(ro.metadata.generation) ? ro : undefined;
    });
    expect(after.spec.template.spec.containers[0]?.image).toBe('webapp:v1.2');
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec.paused).toBe(true);
    expect(after.status?.currentStepIndex).toBe(before.status?.currentStepIndex);
    expect(after.status?.phase).toBe('Paused');
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
});
