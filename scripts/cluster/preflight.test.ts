/**
 * Preflight of `./run.sh setup` reads each tool's version as the pinned release prints it (testdata/tool-versions.yaml)
 * and chooses the Istio installer on its own (ISTIO_INSTALLER unset: the auto path).
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinnedVersions, ROOT } from './manifests-helpers';
import { pathWith, standIns, TOOL_OUTPUTS, toolOutput } from './tool-stand-ins';

const v = pinnedVersions();

function bash(script: string, input: string) {
  const res = spawnSync(
    'bash',
    [
      '-c',
      `ROOT=${ROOT}; source scripts/lib.sh; source scripts/cluster/common.sh; source scripts/cluster/preflight.sh; ${script}`,
    ],
    {
      cwd: ROOT,
      input,
      encoding: 'utf8',
      env: { NODE_ENV: 'test', PATH: '/usr/bin:/bin', HOME: tmpdir() },
    },
  );
  expect(res.status, res.stderr).toBe(0);
  return res.stdout;
}

/** `./run.sh setup` with the given stand-ins on PATH (dry run unless `real`); the auto installer unless set. */
function setup(keys: string[], opts: { real?: boolean; env?: Record<string, string> } = {}) {
  const dir = standIns(keys);
  return spawnSync(path.join(ROOT, 'run.sh'), opts.real ? ['setup'] : ['setup', '--dry-run'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      NODE_ENV: 'test',
      PATH: pathWith(dir),
      HOME: tmpdir(),
      XDG_STATE_HOME: path.join(tmpdir(), 'cc-preflight-state'),
      GITOPS_REPO_URL: 'https://example.com/cc.git',
      ...opts.env,
    },
    timeout: 30_000,
  });
}

const PINNED = ['docker-29.7.2', 'docker-info-memtotal', 'kind-v0.32.0', 'kubectl-v1.36.1', 'cosign-v3.1.2'];

describe('version parsers read the pinned releases as they print', () => {
  const cases: Array<[string, string, string]> = [
    ['parse_kind_version', 'kind-v0.32.0', 'v0.32.0'],
    ['parse_kind_version', 'kind-v0.29.0', 'v0.29.0'],
    ['parse_kubectl_version', 'kubectl-v1.36.1', 'v1.36.1'],
    ['parse_kubectl_version', 'kubectl-v1.32.4', 'v1.32.4-dispatcher'],
    ['parse_istioctl_version', 'istioctl-1.30.3', '1.30.3'],
    ['parse_istioctl_version', 'istioctl-1.27.3', '1.27.3'],
    ['parse_helm_version', 'helm-v3.21.4', 'v3.21.4'],
    ['parse_helm_version', 'helm-v4.2.4', 'v4.2.4'],
    ['parse_cosign_version', 'cosign-v3.1.2', 'v3.1.2'],
    ['parse_cosign_version', 'cosign-v2.5.3', 'v2.5.3'],
    ['parse_docker_version', 'docker-29.7.2', '29.7.2'],
    ['parse_docker_version', 'docker-no-engine', ''],
  ];
  it.each(cases)('%s on %s', (parser, key, want) => {
    expect(bash(parser, toolOutput(key).output)).toBe(want ? `${want}\n` : '');
  });

  it('the testdata covers the pinned releases of versions.env', () => {
    expect(TOOL_OUTPUTS[`kind-${v.KIND_VERSION}`]).toBeDefined();
    expect(TOOL_OUTPUTS[`istioctl-${v.ISTIO_VERSION}`]).toBeDefined();
    expect(TOOL_OUTPUTS[`cosign-${v.COSIGN_VERSION}`]).toBeDefined();
    expect(v.KIND_NODE_IMAGE).toContain(
      `kindest/node:${toolOutput('kubectl-v1.36.1').output.split('\n')[0]?.split(' ')[2]}@`,
    );
  });
});

describe('the Istio installer, auto (ISTIO_INSTALLER unset)', () => {
  it('only the pinned istioctl installed: preflight recognises it and installs with istioctl', () => {
    const res = setup([...PINNED, `istioctl-${v.ISTIO_VERSION}`]);
    expect(res.status, res.stderr).toBe(0);
    // a dry run reports what would stop a real run as "preflight: ... (a real run stops here)"
    expect(res.stderr).not.toContain('preflight:');
    expect(res.stdout).toContain('+ istioctl install --context kind-pdcc -y -f');
    expect(res.stdout).not.toContain('helm upgrade');
    expect(res.stdout).toContain(`Istio installer: istioctl ${v.ISTIO_VERSION} (the pinned release)`);
  });

  it('the pinned istioctl and helm installed: istioctl, not helm', () => {
    const res = setup([...PINNED, `istioctl-${v.ISTIO_VERSION}`, 'helm-v3.21.4']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).not.toContain('helm upgrade');
    expect(res.stdout).toContain('+ istioctl install');
  });

  it('another istioctl and helm: helm, and it says why', () => {
    const res = setup([...PINNED, 'istioctl-1.27.3', 'helm-v4.2.4']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `Istio installer: helm v4.2.4, charts ${v.ISTIO_VERSION} (istioctl 1.27.3 is not the pinned ${v.ISTIO_VERSION})`,
    );
    expect(res.stdout).toMatch(/helm upgrade --install istiod istio\/istiod .*--version 1\.30\.3/);
    expect(res.stdout).not.toContain('istioctl install');
  });

  it('another istioctl alone: a real run stops at preflight naming both versions', () => {
    const res = setup([...PINNED, 'istioctl-1.27.3'], { real: true });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain(`preflight: istioctl is 1.27.3, not ${v.ISTIO_VERSION}`);
    expect(res.stdout).not.toContain('[2/12]');
  });

  it('neither: a real run stops at preflight', () => {
    const res = setup(PINNED, { real: true });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain(`preflight: neither istioctl ${v.ISTIO_VERSION} nor helm is installed`);
  });
});

describe('the other tools', () => {
  it('prints what it found for each pinned tool, with no warning', () => {
    const res = setup([...PINNED, `istioctl-${v.ISTIO_VERSION}`]);
    expect(res.stdout).toContain('docker: engine 29.7.2');
    expect(res.stdout).toContain(`kind: ${v.KIND_VERSION}`);
    expect(res.stdout).toContain('kubectl: v1.36.1');
    expect(res.stdout).toContain(`cosign: ${v.COSIGN_VERSION}`);
    expect(res.stdout).toContain('memory: 16663 MB');
    expect(res.stderr).toBe('');
  });

  it('cosign 2 is refused (setup signs with cosign 3 flags)', () => {
    const res = setup(
      [...PINNED.filter((k) => !k.startsWith('cosign')), 'cosign-v2.5.3', `istioctl-${v.ISTIO_VERSION}`],
      { real: true },
    );
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('preflight: cosign v2.5.3 found; setup signs with cosign v3 flags');
  });

  it('no Docker engine: a real run stops at preflight', () => {
    const res = setup(
      [
        ...PINNED.filter((k) => !k.startsWith('docker-29')),
        'docker-no-engine',
        `istioctl-${v.ISTIO_VERSION}`,
      ],
      { real: true },
    );
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('preflight: the Docker engine is not reachable');
  });

  it('an older kind and a kubectl far from the cluster only warn', () => {
    const res = setup([
      ...PINNED.filter((k) => !k.startsWith('kind') && !k.startsWith('kubectl')),
      'kind-v0.29.0',
      'kubectl-v1.32.4',
      `istioctl-${v.ISTIO_VERSION}`,
    ]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toContain(`kind v0.29.0 found; tested with ${v.KIND_VERSION}`);
    expect(res.stderr).toContain(
      'kubectl v1.32.4-dispatcher is more than one minor version away from the cluster (v1.36.1)',
    );
  });
});
