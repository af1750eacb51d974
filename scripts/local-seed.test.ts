import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeKubeconfig } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateOf } from './canary/follow';
import type { Obj as KubeObj } from './canary/kube';
import { runBash, type ScriptLab, startScriptLab, until } from './testing/script-lab';

type Obj = KubeObj & { metadata: { generation?: number }; spec?: { paused?: boolean } };

describe('./run.sh local seeds the demo only where it is absent (scripts/local.sh seed_demo_if_absent)', () => {
  let s: ScriptLab;
  const seed = () => runBash('ensure_judge_token >/dev/null; seed_demo_if_absent', s.env);
  const rollout = async () => (await s.kube.rollout('demo', 'webapp')) as Obj;
  const secret = async () =>
    JSON.parse(
      (await s.lab.kubectl(['-n', 'demo', 'get', 'secret', 'control-center-judge', '-o', 'json'])).stdout,
    ) as Obj & { data: { token: string } };

  beforeAll(async () => {
    s = await startScriptLab();
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('creates the demo objects, the judge Secret (its token from the lab folder) and namespace control-center', async () => {
    const res = await seed();
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/created \(manifests\/app\): .*rollout\.argoproj\.io\/webapp created/);
    const token = (await runBash('cat "$LAB_DIR/judge-token"', s.env)).stdout;
    expect(Buffer.from((await secret()).data.token, 'base64').toString()).toBe(token);
    expect((await s.lab.kubectl(['get', 'namespace', 'control-center', '-o', 'name'])).stdout.trim()).toBe(
      'namespace/control-center',
    );
    await until(
      'Rollout demo/webapp Healthy at webapp:v1.0',
      async () => {
        const st = stateOf(await s.kube.rollout('demo', 'webapp'));
        return st.phase === 'Healthy' && st.image === 'webapp:v1.0';
      },
      60_000,
    );
  }, 90_000);

  it('a second start keeps a canary paused at webapp:v1.2: same image, step and generation', async () => {
    await s.kube.setImage('demo', 'webapp', 'webapp', 'webapp:v1.2');
    await until(
      'the canary at its analysis step',
      async () => (stateOf(await rollout()).step ?? 0) >= 1,
      60_000,
    );
    // kubectl argo rollouts pause
    const paused = await s.lab.kubectl([
      '-n',
      'demo',
      'patch',
      'rollout',
      'webapp',
      '--type',
      'merge',
      '-p',
      '{"spec":{"paused":true}}',
    ]);
    expect(paused.stderr).toBe('');
    const before = await until('Paused', async () => {
      const ro = await rollout();
      const st = stateOf(ro);
      return st.phase === 'Paused' && st.observed ? { st, ro } : undefined;
    });
    const secretBefore = (await secret()).metadata.resourceVersion;

    const again = await seed();
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('created (manifests/app)');

    const ro = await rollout();
    const st = stateOf(ro);
    expect(st.image).toBe('webapp:v1.2');
    expect(st.step).toBe(before.st.step);
    expect(ro.metadata.generation).toBe(before.ro.metadata.generation);
    expect(ro.spec?.paused).toBe(true);
    expect(st.phase).toBe('Paused');
    expect((await secret()).metadata.resourceVersion).toBe(secretBefore);
  }, 90_000);

  it("a token file that differs from the kept Secret takes the Secret's token (the Secret is not touched)", async () => {
    const before = await secret();
    const live = Buffer.from(before.data.token, 'base64').toString();
    // As if reading the Secret had failed for a moment: a new token file was generated.
    writeFileSync(path.join(s.lab.dir, 'judge-token'), 'f'.repeat(48));
    const res = await runBash('seed_demo_if_absent', s.env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('differed from Secret demo/control-center-judge; took the Secret');
    expect((await runBash('cat "$LAB_DIR/judge-token"', s.env)).stdout).toBe(live);
    expect((await secret()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const again = await runBash('seed_demo_if_absent', s.env);
    expect([again.code, again.stdout.includes('differed')]).toEqual([0, false]);
  }, 60_000);

  it('a judge Secret that cannot be read stops the start, naming it', async () => {
    // An account that may create anything (so every create is AlreadyExists) but read no Secret.
    await s.lab.api('POST', '/api/v1/namespaces/demo/serviceaccounts', {
      body: { metadata: { name: 'creator' } },
    });
    await s.lab.api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      body: {
        metadata: { name: 'create-only' },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['create'] }],
      },
    });
    await s.lab.api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      body: {
        metadata: { name: 'create-only' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'create-only' },
        subjects: [{ kind: 'ServiceAccount', name: 'creator', namespace: 'demo' }],
      },
    });
    const tr = await s.lab.api('POST', '/api/v1/namespaces/demo/serviceaccounts/creator/token', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    const dir = mkdtempSync(path.join(s.lab.dir, 'creator-'));
    const kubeconfig = await writeKubeconfig(dir, {
      server: s.lab.server.url,
      caPem: s.lab.caPem,
      token: (tr.json as { status: { token: string } }).status.token,
    });
    const res = await runBash('seed_demo_if_absent', { ...s.env, KUBECONFIG: kubeconfig });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('could not read Secret demo/control-center-judge');
    expect(res.stderr).toMatch(/Forbidden|forbidden/);
  }, 60_000);

  it('any error other than AlreadyExists fails the start, naming it', async () => {
    // a ServiceAccount may not create anything: Forbidden, not AlreadyExists
    await s.lab.api('POST', '/api/v1/namespaces/demo/serviceaccounts', {
      body: { metadata: { name: 'nobody' } },
    });
    const tr = await s.lab.api('POST', '/api/v1/namespaces/demo/serviceaccounts/nobody/token', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    const dir = mkdtempSync(path.join(s.lab.dir, 'nobody-'));
    const kubeconfig = await writeKubeconfig(dir, {
      server: s.lab.server.url,
      caPem: s.lab.caPem,
      token: (tr.json as { status: { token: string } }).status.token,
    });
    writeFileSync(path.join(s.lab.dir, 'judge-token'), 'x'.repeat(48));
    const res = await runBash('seed_demo_if_absent', { ...s.env, KUBECONFIG: kubeconfig });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('could not create manifests/app');
    expect(res.stderr).toMatch(/Forbidden/);
  }, 60_000);
});
