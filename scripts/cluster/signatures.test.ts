/**
 * Signing and verifying the images of the kind cluster: setup signs each pushed reference by its own registry digest;
 * `./run.sh status` verifies the images running in demo and control-center with the local public key.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './manifests-helpers';
import { pathWith, standIns } from './tool-stand-ins';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

function bash(script: string, opts: { input?: string; path?: string; env?: Record<string, string> } = {}) {
  const res = spawnSync(
    'bash',
    [
      '-c',
      `ROOT=${ROOT}; source scripts/lib.sh; source scripts/status.sh; source scripts/cluster/status.sh; source scripts/cluster/images.sh; ${script}`,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      input: opts.input ?? '',
      env: { NODE_ENV: 'test', PATH: opts.path ?? '/usr/bin:/bin', HOME: tmpdir(), ...opts.env },
      timeout: 30_000,
    },
  );
  return res;
}

describe('select_repo_digest (setup signs loadgen under both of its names)', () => {
  // `docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}'` of an image pushed as
  // localhost:5001/loadgen:<tag> and localhost:5001/library/loadgen:latest: one digest per repository.
  const repoDigests = `localhost:5001/library/loadgen@${D1}\nlocalhost:5001/loadgen@${D1}\n\n`;

  it('picks the digest of the repository asked for, whatever the order', () => {
    for (const repo of ['localhost:5001/loadgen', 'localhost:5001/library/loadgen']) {
      const res = bash(`select_repo_digest ${repo}`, { input: repoDigests });
      expect(res.status).toBe(0);
      expect(res.stdout).toBe(`${repo}@${D1}\n`);
    }
  });

  it('fails when the repository has no digest (not pushed)', () => {
    expect(bash('select_repo_digest localhost:5001/webapp', { input: repoDigests }).status).toBe(1);
  });
});

describe('./run.sh status: signatures of the running images', () => {
  // containerStatuses[].imageID as the kubelet (containerd) reports them for the demo and control-center pods: the
  // webapp, its Istio sidecar, a load Job pulled by its Docker Hub name through the registry mirror, the control center.
  const demo = [
    `localhost:5001/webapp@${D1}`,
    `docker.io/istio/proxyv2@${D3}`,
    `localhost:5001/webapp@${D1}`,
    `docker.io/library/loadgen@${D2}`,
  ].join('\n');
  const controlCenter = `localhost:5001/control-center@${D3}`;

  function status(verifies: (ref: string) => boolean) {
    const state = mkdtempSync(path.join(tmpdir(), 'cc-sig-state-'));
    mkdirSync(path.join(state, 'control-center-kind'));
    writeFileSync(path.join(state, 'control-center-kind/cosign.pub'), '-----BEGIN PUBLIC KEY-----\n');
    const calls = path.join(state, 'cosign-calls');
    const good = [
      `localhost:5001/webapp@${D1}`,
      `localhost:5001/library/loadgen@${D2}`,
      `localhost:5001/control-center@${D3}`,
    ].filter(verifies);
    const jsonpath =
      '{range .items[*]}{range .status.initContainerStatuses[*]}{.imageID}{"\\n"}{end}{range .status.containerStatuses[*]}{.imageID}{"\\n"}{end}{end}';
    const bin = standIns([], {
      kubectl: [
        'case "$*" in',
        `  '--context kind-pdcc --request-timeout=3s -n demo get pods -o jsonpath=${jsonpath}') printf '%s\\n' '${demo}' ;;`,
        `  '--context kind-pdcc --request-timeout=3s -n control-center get pods -o jsonpath=${jsonpath}') printf '%s\\n' '${controlCenter}' ;;`,
        '  *) echo "kubectl stand-in: unexpected $*" >&2; exit 97 ;;',
        'esac',
      ].join('\n'),
      // cosign verify: exit 0 for the references signed with this key, 1 (as cosign does) for the others
      cosign: [
        `echo "$*" >> '${calls}'`,
        // the argument before "-o text"
        `ref="\${@: -3:1}"`,
        `case "$ref" in ${good.length ? good.map((g) => `'${g}'`).join('|') : "''"}) exit 0 ;; *) echo 'Error: no matching signatures' >&2; exit 1 ;; esac`,
      ].join('\n'),
    });
    const res = bash('verify_running_signatures', {
      path: pathWith(bin),
      env: { XDG_STATE_HOME: state },
    });
    return {
      res,
      calls: readFileSync(calls, 'utf8').trim().split('\n'),
      pub: path.join(state, 'control-center-kind/cosign.pub'),
    };
  }

  it('verifies each of our images once, by digest, with the local key; the sidecar is not ours', () => {
    const { res, calls, pub } = status(() => true);
    expect(res.status, res.stderr).toBe(0);
    expect(calls.sort()).toEqual(
      [
        `localhost:5001/control-center@${D3}`,
        `localhost:5001/library/loadgen@${D2}`,
        `localhost:5001/webapp@${D1}`,
      ].map(
        (ref) => `verify --key ${pub} --insecure-ignore-tlog=true --allow-insecure-registry ${ref} -o text`,
      ),
    );
    expect(res.stdout.match(/Signature .*ok/g)).toHaveLength(3);
    expect(res.stdout).toContain('1 other image(s) running (not ours: not checked)');
  });

  it('an image whose signature does not verify is reported down', () => {
    const { res } = status((ref) => !ref.includes('webapp'));
    expect(res.stdout).toMatch(new RegExp(`Signature .*down.*localhost:5001/webapp@${D1} does not verify`));
    expect(res.stdout.match(/Signature .*ok/g)).toHaveLength(2);
  });
});
