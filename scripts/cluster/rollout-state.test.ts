/**
 * A re-run of setup during a canary leaves it alone and says so, read from Rollouts as Argo Rollouts writes them
 * (testdata/rollouts/: kubectl-argo-rollouts' own fixtures at v1.9.1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './manifests-helpers';
import { rolloutState } from './rollout-state';
import { pathWith, standIns } from './tool-stand-ins';

const fixture = (name: string) =>
  parse(readFileSync(path.join(__dirname, 'testdata/rollouts', name), 'utf8')) as unknown;

/** The stepping fixture once its canary finished: the controller sets stableRS to the current hash, phase Healthy. */
function healthy() {
  const ro = structuredClone(fixture('stepping.yaml')) as { status: Record<string, unknown> };
  ro.status.stableRS = ro.status.currentPodHash;
  ro.status.phase = 'Healthy';
  return ro;
}

describe('rolloutState', () => {
  it('a canary paused by an inconclusive analysis', () => {
    expect(rolloutState(fixture('paused-step-analysis.yaml'))).toMatchObject({
      state: 'canary',
      description: expect.stringMatching(/^canary paused \(InconclusiveAnalysisRun\)/),
    });
  });

  it('an aborted canary', () => {
    expect(rolloutState(fixture('aborted.yaml'))).toMatchObject({
      state: 'canary',
      description: expect.stringMatching(/^canary aborted/),
    });
  });

  it('a canary stepping (current pod hash is not the stable one)', () => {
    expect(rolloutState(fixture('stepping.yaml'))).toMatchObject({
      state: 'canary',
      description: expect.stringMatching(/^canary in progress, phase unknown at step 0\/8/),
    });
  });

  it('a finished rollout is healthy', () => {
    expect(rolloutState(healthy())).toEqual({ state: 'healthy', description: 'Healthy' });
  });

  it('refuses what is not a Rollout status', () => {
    expect(() => rolloutState({ status: { pauseConditions: 'yes' } })).toThrow();
  });
});

/** deploy_demo_app of setup.sh (a real run, DRY_RUN=0) against a kubectl stand-in holding this Rollout. */
function deployDemoApp(rollout: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-rollout-'));
  const json = path.join(dir, 'rollout.json');
  writeFileSync(json, JSON.stringify(rollout));
  const bin = standIns([], {
    // the cluster's API server answering the two reads deploy_demo_app makes; anything else (apply, wait) fails loudly
    kubectl: [
      'case "$*" in',
      "  '--context kind-pdcc get -n demo rollout webapp') exit 0 ;;",
      `  '--context kind-pdcc -n demo get rollout webapp -o json') cat '${json}' ;;`,
      '  *) echo "kubectl stand-in: unexpected $*" >&2; exit 97 ;;',
      'esac',
    ].join('\n'),
  });
  return spawnSync(
    'bash',
    [
      '-c',
      `ROOT=${ROOT}; source scripts/lib.sh; source scripts/cluster/setup.sh; DRY_RUN=0; deploy_demo_app`,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { NODE_ENV: 'test', PATH: pathWith(bin), HOME: tmpdir() },
      timeout: 30_000,
    },
  );
}

describe('setup re-run: deploy_demo_app', () => {
  it('leaves a paused canary alone, says so, and does not wait for Healthy', () => {
    const res = deployDemoApp(fixture('paused-step-analysis.yaml'));
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /rollout demo\/webapp: canary paused \(InconclusiveAnalysisRun\).* -- left alone/,
    );
    expect(res.stdout).not.toContain('wait until');
    expect(res.stdout).not.toContain('apply -f -');
  });

  it('leaves an aborted canary alone', () => {
    const res = deployDemoApp(fixture('aborted.yaml'));
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/rollout demo\/webapp: canary aborted.* -- left alone/);
  });

  it('a Healthy rollout is kept as is', () => {
    const res = deployDemoApp(healthy());
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      'rollout demo/webapp exists and is Healthy (kept: Argo CD syncs it from Git)',
    );
  });
});
