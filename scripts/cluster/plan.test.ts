/**
 * `./run.sh setup|dashboards|cleanup --dry-run` print the whole plan: pinned versions, the registry wiring of the kind
 * docs, the seed's port map. Also: shellcheck over every script, and the CI workflow's actions pinned by commit SHA.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireTool } from '@/support/testing/tools';
import { pinnedVersions, ROOT } from './manifests-helpers';
import { pathWith, standIns } from './tool-stand-ins';

const v = pinnedVersions();

// The pinned releases of every tool setup reads a version from (testdata/tool-versions.yaml).
const PINNED_TOOLS = standIns([
  'docker-29.7.2',
  'docker-info-memtotal',
  `kind-${v.KIND_VERSION}`,
  'kubectl-v1.36.1',
  `cosign-${v.COSIGN_VERSION}`,
  `istioctl-${v.ISTIO_VERSION}`,
  'helm-v3.21.4',
]);

function plan(args: string[], env: Record<string, string> = {}): string {
  const res = spawnSync(path.join(ROOT, 'run.sh'), args, {
    cwd: ROOT,
    encoding: 'utf8',
    // A clean PATH-only environment: no KUBECONFIG, state outside the work tree.
    env: {
      NODE_ENV: 'test',
      PATH: pathWith(PINNED_TOOLS),
      HOME: tmpdir(),
      XDG_STATE_HOME: path.join(tmpdir(), 'cc-plan-state'),
      ...env,
    },
    timeout: 20_000,
  });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout;
}

describe('./run.sh setup --dry-run', () => {
  const out = plan(['setup', '--dry-run'], {
    GITOPS_REPO_URL: 'https://example.com/cc.git',
  });
  const commands = out.split('\n').filter((l) => l.startsWith('+ '));

  it('pins every version it installs', () => {
    expect(v).toMatchObject({
      KIND_VERSION: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
      ISTIO_VERSION: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      ARGO_ROLLOUTS_VERSION: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
      ARGOCD_VERSION: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
      COSIGN_VERSION: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
    });
    expect(v.KIND_NODE_IMAGE).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(out).toContain(`kind ${v.KIND_VERSION}`);
    expect(out).toContain(`cosign ${v.COSIGN_VERSION}`);
    expect(out).toContain(`kind create cluster --name ${v.CLUSTER_NAME} --image ${v.KIND_NODE_IMAGE}`);
    expect(out).toContain(
      `istioctl install --context kind-${v.CLUSTER_NAME} -y -f ${ROOT}/manifests/istio/istio-operator.yaml`,
    );
    for (const addon of ['prometheus', 'grafana', 'kiali']) {
      expect(out).toContain(
        `apply -f https://raw.githubusercontent.com/istio/istio/${v.ISTIO_VERSION}/samples/addons/${addon}.yaml`,
      );
    }
    const rollouts = `https://github.com/argoproj/argo-rollouts/releases/download/${v.ARGO_ROLLOUTS_VERSION}`;
    expect(out).toContain(`apply -n argo-rollouts -f ${rollouts}/install.yaml`);
    expect(out).toContain(`apply -n argo-rollouts -f ${rollouts}/dashboard-install.yaml`);
    expect(out).toContain(
      `apply -n argocd --server-side --force-conflicts -f https://raw.githubusercontent.com/argoproj/argo-cd/${v.ARGOCD_VERSION}/manifests/install.yaml`,
    );
    expect(out).toContain(`--name kind-registry ${v.REGISTRY_IMAGE}`);
    // Nothing unpinned: no "latest"/"stable"/"master" install URL.
    for (const c of commands) expect(c).not.toMatch(/https:\/\/\S*\/(latest|stable|master|main)\//);
  });

  it('the Helm path pins the chart versions', () => {
    const helm = plan(['setup', '--dry-run'], { ISTIO_INSTALLER: 'helm' });
    for (const chart of ['base', 'istiod', 'gateway']) {
      expect(helm).toMatch(
        new RegExp(`helm upgrade --install \\S+ istio/${chart} .*--version ${v.ISTIO_VERSION}`),
      );
    }
    expect(helm).not.toContain('istioctl install');
  });

  it('wires the registry the way the kind docs describe', () => {
    expect(out).toContain(
      'docker run -d --restart=always -p 127.0.0.1:5001:5000 --network bridge --name kind-registry',
    );
    expect(out).toContain(`--config ${ROOT}/manifests/kind/cluster.yaml`);
    for (const node of ['control-plane', 'worker', 'worker2']) {
      expect(out).toContain(
        `docker exec -i ${v.CLUSTER_NAME}-${node} cp /dev/stdin /etc/containerd/certs.d/localhost:5001/hosts.toml < manifests/kind/hosts/localhost-5001.toml`,
      );
    }
    expect(out).toContain('docker network connect kind kind-registry');
    expect(out).toContain(`apply -f ${ROOT}/manifests/kind/local-registry-hosting.yaml`);
  });

  it('builds, pushes and signs every pushed reference by its own registry digest', () => {
    const cc = `localhost:5001/control-center:${v.CONTROL_CENTER_TAG}-<image-id>`;
    const lg = `localhost:5001/loadgen:${v.LOADGEN_TAG}-<image-id>`;
    for (const img of ['localhost:5001/webapp:v1.0', 'localhost:5001/webapp:v1.1']) {
      expect(commands.some((c) => c.includes('docker build') && c.includes(`-t ${img}`))).toBe(true);
    }
    // the control center and loadgen get a content tag (image ID) on top of their build tag
    expect(commands).toContain(`+ docker build -t localhost:5001/loadgen:${v.LOADGEN_TAG} ${ROOT}/loadgen`);
    expect(commands).toContain(`+ docker tag localhost:5001/loadgen:${v.LOADGEN_TAG} ${lg}`);
    expect(commands).toContain(
      `+ docker build -t localhost:5001/control-center:${v.CONTROL_CENTER_TAG} ${ROOT}`,
    );
    expect(commands).toContain(`+ docker tag localhost:5001/control-center:${v.CONTROL_CENTER_TAG} ${cc}`);
    const pushed = [
      'localhost:5001/webapp:v1.0',
      'localhost:5001/webapp:v1.1',
      lg,
      'localhost:5001/library/loadgen:latest',
      cc,
    ];
    expect(commands.filter((c) => c.startsWith('+ docker push '))).toEqual(
      pushed.map((p) => `+ docker push ${p}`),
    );
    // each pushed reference: its digest in its own repository, signed (cosign 3, local key, no tlog) and verified
    const signed = commands.filter((c) => c.includes('cosign sign'));
    expect(signed).toHaveLength(pushed.length);
    for (const [i, img] of pushed.entries()) {
      const repo = img.slice(0, img.lastIndexOf(':'));
      expect(signed[i]).toMatch(
        new RegExp(
          `cosign sign --yes --key \\S+/cosign\\.key --use-signing-config=false --tlog-upload=false --allow-insecure-registry ${repo.replaceAll('.', '\\.')}@<digest>$`,
        ),
      );
      expect(commands).toContain(
        `+ docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' ${img}`,
      );
    }
    expect(commands.filter((c) => c.includes('cosign verify'))).toHaveLength(pushed.length);
    expect(out).toContain("printf 'FROM webapp-base:local\\nENV VERSION=v1.1\\n' | docker build");
  });

  it('waits for readiness, deploys the control center and the demo app, registers the Argo CD Application', () => {
    for (const w of [
      'istio-system rollout status deployment/istiod',
      'istio-system rollout status deployment/istio-ingressgateway',
      'argo-rollouts rollout status deployment/argo-rollouts',
      'argocd rollout status deployment/argocd-server',
      'control-center rollout status deployment/control-center',
    ]) {
      expect(out).toContain(w);
    }
    expect(out).toContain('wait until rollout demo/webapp is Healthy');
    // the control center by its content tag and registry digest
    // No DATABASE_URL: one replica on SQLite, said, and no PodDisruptionBudget left over from a two-replica setup.
    expect(out).toContain(
      `+ kubectl kustomize manifests/kind-sqlite | sed 's#image: localhost:5001/control-center:${v.CONTROL_CENTER_TAG}$#image: localhost:5001/control-center:${v.CONTROL_CENTER_TAG}-<image-id>@<digest>#' | kubectl --context kind-pdcc apply -f -`,
    );
    expect(out).toContain('  one replica: no DATABASE_URL, so the store is SQLite in the pod');
    expect(commands).toContain(
      '+ kubectl --context kind-pdcc -n control-center delete poddisruptionbudget control-center --ignore-not-found',
    );
    expect(out).not.toContain('DATABASE_URL":');
    expect(out).toContain('kubectl --context kind-pdcc apply -k manifests/demo/kind');
    expect(out).not.toContain('load-restrictor');
    expect(out).toContain("sed 's#repoURL: GITOPS_REPO_URL#repoURL: https://example.com/cc.git#'");
    expect(out).toContain('patch configmap argocd-cm --type merge');
    // The first admin: the shipped config names nobody, so setup writes Secret control-center-config with one.
    expect(out).toContain(
      'manifests/control-center/configmap.yaml has no users and no OIDC: a first admin is created unless Secret control-center-config has one',
    );
    expect(commands).toContain(
      '+ node --import tsx scripts/cluster/admin-config-cli.ts write manifests/control-center/configmap.yaml <current config.yaml of Secret control-center-config> <config.yaml>',
    );
    expect(commands).toContain(
      '+ kubectl --context kind-pdcc -n control-center create secret generic control-center-config --from-file=config.yaml=<config.yaml> --dry-run=client -o yaml | kubectl --context kind-pdcc apply -f -',
    );
    // Secrets are generated, never printed.
    expect(out).toMatch(
      /create secret generic control-center --from-literal=AUTH_SECRET=<openssl rand -hex 32>/,
    );
  });

  it('the pinned tools pass preflight without a warning and the auto installer takes istioctl', () => {
    expect(out).not.toContain('a real run stops here');
    expect(out).toContain(`Istio installer: istioctl ${v.ISTIO_VERSION} (the pinned release)`);
  });

  it("the control center's image substitution really rewrites the rendered Deployment (real kubectl kustomize)", () => {
    const cmd = commands.find((c) => c.startsWith('+ kubectl kustomize manifests/kind-sqlite | sed '));
    const sed = /\| (sed '[^']+') \|/.exec(cmd ?? '')?.[1];
    expect(sed).toBeDefined();
    const ref = `localhost:5001/control-center:${v.CONTROL_CENTER_TAG}-0123456789ab@sha256:${'a'.repeat(64)}`;
    const rendered = execFileSync(
      'bash',
      [
        '-c',
        `kubectl kustomize manifests/kind-sqlite | ${(sed ?? '').replace(/image: localhost:5001\/control-center:[^#]*<digest>#/, `image: ${ref}#`)}`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const images = rendered.split('\n').filter((l) => l.includes('image: '));
    expect(images.map((l) => l.trim())).toEqual([`image: ${ref}`]);
  });

  it('preflight names every requirement', () => {
    expect(out).toMatch(
      /preflight: docker, kind, kubectl, istioctl or helm, cosign, openssl, node; Docker memory >= 8 GB/,
    );
  });
});

describe('./run.sh setup --dry-run with DATABASE_URL (bring your PostgreSQL)', () => {
  const url = 'postgresql://cc:s3cr%21t@db.example.com:5432/cc';

  it('stores it in Secret control-center without printing it and deploys the two-replica overlay', () => {
    const out = plan(['setup', '--dry-run'], {
      GITOPS_REPO_URL: 'https://example.com/cc.git',
      DATABASE_URL: url,
    });
    const commands = out.split('\n').filter((l) => l.startsWith('+ '));
    expect(commands).toContain(
      `+ kubectl --context kind-pdcc -n control-center patch secret control-center --type merge --patch-file <0600 file: {"data":{"DATABASE_URL":"<base64 of DATABASE_URL>"}}>`,
    );
    expect(out).not.toContain('s3cr');
    expect(out).not.toContain(Buffer.from(url).toString('base64'));
    expect(out).toContain('  two replicas sharing PostgreSQL (DATABASE_URL in Secret control-center)');
    expect(commands.some((c) => c.startsWith('+ kubectl kustomize manifests/kind | sed '))).toBe(true);
    expect(out).not.toContain('manifests/kind-sqlite');
    expect(out).not.toContain('delete poddisruptionbudget');
  });

  it('a real run hands kubectl the URL in a 0600 file, never on a command line, and removes the file', () => {
    // kubectl stand-in: the cluster is not there; it records the argv of every call and what the patch file held.
    const dir = mkdtempSync(path.join(tmpdir(), 'cc-db-url-'));
    const rec = path.join(dir, 'rec');
    writeFileSync(
      path.join(dir, 'kubectl'),
      [
        '#!/usr/bin/env bash',
        `printf '%s\\n' "$*" >>${rec}.argv`,
        'case "$*" in',
        '  *" get "*) exit 1 ;;',
        `  *" patch "*) f="\${@: -1}"; stat -c %a "$f" >${rec}.mode; cat "$f" >${rec}.patch; echo "$f" >${rec}.path ;;`,
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const script = [
      'set -euo pipefail',
      'source "$ROOT/scripts/lib.sh"',
      'source "$ROOT/scripts/cluster/common.sh"',
      `eval "$(sed -n '/^store_database_url()/,/^}/p' "$ROOT/scripts/cluster/setup.sh")"`,
      'store_database_url',
    ].join('\n');
    const res = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: {
        NODE_ENV: 'test',
        PATH: `${dir}:${process.env.PATH}`,
        ROOT,
        HOME: tmpdir(),
        DATABASE_URL: url,
        DRY_RUN: '0',
      },
      timeout: 20_000,
    });
    expect(res.status, res.stderr).toBe(0);
    const argv = readFileSync(`${rec}.argv`, 'utf8');
    expect(argv).toContain('patch secret control-center --type merge --patch-file ');
    expect(argv).not.toContain('s3cr');
    expect(argv).not.toContain(Buffer.from(url).toString('base64'));
    expect(readFileSync(`${rec}.mode`, 'utf8').trim()).toBe('600');
    expect(JSON.parse(readFileSync(`${rec}.patch`, 'utf8'))).toEqual({
      data: { DATABASE_URL: Buffer.from(url).toString('base64') },
    });
    expect(existsSync(readFileSync(`${rec}.path`, 'utf8').trim())).toBe(false);
    expect(res.stdout).not.toContain('s3cr');
  });

  it('refuses a URL that is not postgres:// or postgresql:// before changing anything', () => {
    const res = spawnSync(path.join(ROOT, 'run.sh'), ['setup', '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        NODE_ENV: 'test',
        PATH: pathWith(PINNED_TOOLS),
        HOME: tmpdir(),
        XDG_STATE_HOME: path.join(tmpdir(), 'cc-plan-state'),
        DATABASE_URL: 'mysql://cc@db/cc',
      },
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(res.stdout).not.toContain('+ ');
  });
});

describe('./run.sh dashboards --dry-run and cleanup --dry-run', () => {
  it('dashboards port-forwards the seed port map and prints the Argo CD password command', () => {
    const out = plan(['dashboards', '--dry-run']);
    const forwards: Array<[string, string, string]> = [
      ['argocd', 'argocd-server', '8080:443'],
      ['argo-rollouts', 'argo-rollouts-dashboard', '3100:3100'],
      ['istio-system', 'grafana', '3000:3000'],
      ['istio-system', 'kiali', '20001:20001'],
      ['istio-system', 'prometheus', '9090:9090'],
      ['control-center', 'control-center', '3300:3300'],
    ];
    for (const [ns, svc, ports] of forwards) {
      expect(out).toContain(`-n ${ns} port-forward --address 127.0.0.1 svc/${svc} ${ports}`);
    }
    expect(out).toContain('get secret argocd-initial-admin-secret');
    expect(out).toMatch(
      /Control center +sign in as the config says \(user admin: the password \.\/run\.sh setup printed once/,
    );
    expect(out).toContain('http://127.0.0.1:8081/');
  });

  it('cleanup deletes the cluster and the registry, and refuses without --yes when nobody can answer', () => {
    const out = plan(['cleanup', '--dry-run']);
    expect(out).toContain(`+ kind delete cluster --name ${v.CLUSTER_NAME}`);
    expect(out).toContain('+ docker rm -f -v kind-registry');
    const refused = spawnSync(path.join(ROOT, 'run.sh'), ['cleanup'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: '',
      env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', HOME: tmpdir() },
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('pass --yes');
  });

  it('unknown options are refused', () => {
    const res = spawnSync(path.join(ROOT, 'run.sh'), ['setup', '--frobnicate'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("unknown option '--frobnicate'");
  });
});

describe('shellcheck', () => {
  it('run.sh and every script are clean (fails naming shellcheck when it is not installed)', () => {
    const shellcheck = requireTool('shellcheck');
    const scripts = execFileSync('bash', ['-c', 'ls run.sh scripts/*.sh scripts/cluster/*.sh'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    const res = spawnSync(shellcheck, ['-x', ...scripts], { cwd: ROOT, encoding: 'utf8' });
    expect(res.stdout + res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});

describe('.github/workflows/delivery.yml', () => {
  const text = readFileSync(path.join(ROOT, '.github/workflows/delivery.yml'), 'utf8');
  const wf = parse(text) as { jobs: Record<string, { steps: Array<{ uses?: string; run?: string }> }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);

  it('pins every third-party action by a full commit SHA, with its tag in a comment', () => {
    const uses = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(5);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('tests, audits, builds, scans, pushes and signs', () => {
    const runs = steps.map((s) => s.run ?? '').join('\n');
    const used = steps.map((s) => s.uses ?? '').join('\n');
    expect(runs).toContain('./run.sh test');
    expect(runs).toContain('npm audit');
    expect(used).toContain('docker/build-push-action@');
    expect(used).toContain('aquasecurity/trivy-action@');
    expect(used).toContain('sigstore/cosign-installer@');
    expect(runs).toContain('cosign sign --yes');
    expect(runs).toContain('cosign verify');
  });
});
