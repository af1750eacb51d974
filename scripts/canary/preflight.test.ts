import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { writeKubeconfig } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCommand, type ScriptLab, startScriptLab } from '../testing/script-lab';
import { Kube } from './kube';
import { type Finding, formatPreflight, preflight } from './preflight';

const JUDGE = 'AnalysisTemplate demo/webapp-slo-judge';

describe('the canary scripts check what the analysis needs before they start load (real lab)', () => {
  let s: ScriptLab;
  let judge: http.Server;
  let judgeUrl = '';
  const run = () => preflight(s.kube, 'demo', 'webapp', { probeTimeoutMs: 2000 });
  const fails = (f: Finding[]) => f.filter((x) => x.level === 'fail').map((x) => x.message);

  beforeAll(async () => {
    s = await startScriptLab();
    judge = http.createServer((req, res) => res.writeHead(req.url === '/api/health' ? 200 : 404).end());
    await new Promise<void>((r) => judge.listen(0, '127.0.0.1', r));
    judgeUrl = `http://127.0.0.1:${(judge.address() as AddressInfo).port}`;
    // the demo manifests with the judge at this test's server, and no Secret (as `./run.sh lab` alone leaves it)
    const dir = mkdtempSync(path.join(s.lab.dir, 'manifests-'));
    for (const f of readdirSync(path.join(REPO, 'manifests/app')).filter((f) => f.endsWith('.yaml')))
      writeFileSync(
        path.join(dir, f),
        readFileSync(path.join(REPO, 'manifests/app', f), 'utf8').replaceAll(
          'http://127.0.0.1:3300',
          judgeUrl,
        ),
      );
    const created = await s.lab.kubectl(['create', '-f', dir]);
    expect(created.stderr).toBe('');
  }, 90_000);
  afterAll(async () => {
    judge?.closeAllConnections();
    await new Promise((r) => judge?.close(r));
    await s?.close();
  });

  it('without the judge Secret: FAIL naming the Secret and how to create it; the judge itself answers', async () => {
    const f = await run();
    expect(fails(f)).toEqual([
      expect.stringMatching(
        /^AnalysisTemplate demo\/webapp-slo-judge arg judge-token: Secret demo\/control-center-judge is missing, .*\{\{args\.judge-token\}\}.*\.\/run\.sh local creates it; else: kubectl -n demo create secret generic control-center-judge --from-literal=token=/,
      ),
    ]);
    expect(f).toContainEqual({ level: 'ok', message: `the judge at ${judgeUrl} answers (/api/health 200)` });
    expect(formatPreflight(f).refuse).toBe(true);
  });

  it('./run.sh canary-success refuses to start then, before any load or change', async () => {
    const generation = (o: { metadata: object }) => (o.metadata as { generation?: number }).generation;
    const faults = () =>
      s.lab.kubectl([
        '-n',
        'demo',
        'get',
        'configmap',
        'webapp-faults',
        '-o',
        'jsonpath={.metadata.resourceVersion}',
      ]);
    const before = await s.kube.rollout('demo', 'webapp');
    const faultsBefore = (await faults()).stdout;
    const res = await runCommand('node', ['--import', 'tsx', 'scripts/canary/main.ts', 'success'], {
      ...s.env,
      CANARY_TIMEOUT_SECONDS: '10',
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('analysis preflight');
    expect(res.stdout).toMatch(
      /FAIL {2}AnalysisTemplate demo\/webapp-slo-judge arg judge-token: Secret demo\/control-center-judge is missing/,
    );
    expect(res.stdout).not.toContain('load:');
    expect(res.stderr).toContain('canary: not starting: the analysis of demo/webapp cannot work');
    const after = await s.kube.rollout('demo', 'webapp');
    expect(generation(after)).toBe(generation(before)); // no set image
    expect((await faults()).stdout).toBe(faultsBefore); // no fault written
  });

  it('with the Secret and the judge up: nothing fails', async () => {
    const secret = await s.lab.kubectl([
      '-n',
      'demo',
      'create',
      'secret',
      'generic',
      'control-center-judge',
      '--from-literal=token=t0ken',
    ]);
    expect(secret.stderr).toBe('');
    const f = await run();
    expect(fails(f)).toEqual([]);
    expect(f).toContainEqual({
      level: 'ok',
      message: `${JUDGE} arg judge-token: Secret demo/control-center-judge key token is there`,
    });
  });

  it('a ServiceAccount that may not read Secrets: "cannot check", not a refusal', async () => {
    const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: canary-runner, namespace: demo}
rules:
  - apiGroups: [argoproj.io]
    resources: [rollouts, analysistemplates]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: canary-runner, namespace: demo}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: canary-runner}
subjects:
  - {kind: ServiceAccount, name: canary-runner, namespace: demo}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: canary-runner, namespace: demo}
`;
    expect((await s.lab.kubectl(['create', '-f', '-'], rbac)).stderr).toBe('');
    const tr = await s.lab.api('POST', '/api/v1/namespaces/demo/serviceaccounts/canary-runner/token', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    const dir = path.join(s.lab.dir, 'canary-runner');
    mkdirSync(dir);
    const kubeconfig = await writeKubeconfig(dir, {
      server: s.lab.server.url,
      caPem: s.lab.caPem,
      token: (tr.json as { status: { token: string } }).status.token,
    });
    const f = await preflight(new Kube(kubeconfig), 'demo', 'webapp');
    expect(fails(f)).toEqual([]);
    expect(f).toContainEqual({
      level: 'warn',
      message: `${JUDGE} arg judge-token: cannot check Secret demo/control-center-judge (reading Secrets is forbidden for you)`,
    });
    expect(formatPreflight(f).refuse).toBe(false);
  });

  it('the judge down: FAIL, the analysis would error and abort', async () => {
    judge.closeAllConnections();
    await new Promise((r) => judge.close(r));
    const f = await run();
    expect(fails(f)).toEqual([
      `the judge at ${judgeUrl} does not answer (ECONNREFUSED): the analysis would error and the rollout abort. Start the control center (./run.sh local starts it with the lab)`,
    ]);
  });
});
