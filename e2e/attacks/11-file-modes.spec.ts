import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { requireTool } from '../../support/testing/tools';
import {
  apiLogin,
  E2E_CONFIG,
  freePort,
  type Proc,
  startControlCenter,
  startLabProgram,
  until,
} from '../lab-fixture';

/**
 * Class 11, local file modes: another local user read `.lab/lab.db` (it holds the Secrets, the judge token among
 * them), its WAL, and `.data/control-center.db`. After a lab and a control center start (on folders an older version
 * left 0755 with a 0644 database), every folder under the lab's state folder and the control center's data folder is
 * 0700 and every file 0600.
 */
const procs: Proc[] = [];
let root = '';

test.afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every path under `dir` whose mode is not 0700 (folders) or 0600 (files), as `path mode`; `skip` names left out. */
function openModes(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (p: string, depth: number) => {
    if (depth > 20) return;
    const st = lstatSync(p);
    const mode = st.mode & 0o777;
    const rel = path.relative(dir, p) || '.';
    if (st.isDirectory()) {
      if (mode !== 0o700) out.push(`${rel}/ ${mode.toString(8)}`);
      for (const name of readdirSync(p))
        if (!(p === dir && skip.includes(name))) walk(path.join(p, name), depth + 1);
    } else if (!st.isSymbolicLink() && mode !== 0o600) out.push(`${rel} ${mode.toString(8)}`);
  };
  walk(dir, 0);
  return out;
}

/** Paths under `dir`, for the read-back that the walk saw what it should. */
const has = (dir: string, rel: string) => {
  try {
    lstatSync(path.join(dir, rel));
    return true;
  } catch {
    return false;
  }
};

test('lab state and control-center data are private (0700 folders, 0600 files), older open modes fixed at start', async () => {
  test.setTimeout(180_000);
  requireTool('prometheus');
  requireTool('kubectl');
  root = mkdtempSync(path.join(tmpdir(), 'attack-11-'));
  const labDir = path.join(root, 'lab');
  const dataDir = path.join(root, 'cc-data');
  // What an older version left: folders 0755, databases and logs 0644 (an empty file is an empty SQLite database).
  for (const d of [labDir, path.join(labDir, 'logs'), dataDir]) {
    mkdirSync(d, { recursive: true });
    chmodSync(d, 0o755);
  }
  for (const f of [
    path.join(labDir, 'lab.db'),
    path.join(labDir, 'logs', 'old.log'),
    path.join(dataDir, 'control-center.db'),
  ]) {
    writeFileSync(f, '');
    chmodSync(f, 0o644);
  }

  const lab = await startLabProgram(labDir, procs, { prometheus: true });
  // A pod with a ConfigMap volume: its log and its volume folder are lab state too.
  await lab.kubectl('create', 'namespace', 'attack');
  await lab.kubectl('create', 'configmap', 'files', '-n', 'attack', '--from-literal=a=b');
  const podFile = path.join(root, 'pod.json');
  writeFileSync(
    podFile,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'attack' },
      spec: {
        volumes: [{ name: 'files', configMap: { name: 'files' } }],
        containers: [
          {
            name: 'webapp',
            image: 'localhost:5001/webapp:v1.0',
            volumeMounts: [{ name: 'files', mountPath: '/etc/files' }],
          },
        ],
      },
    }),
  );
  await lab.kubectl('apply', '-f', podFile);
  await until('the pod Ready', 60_000, async () => {
    const out = await lab.kubectl(
      'get',
      'pod',
      'p',
      '-n',
      'attack',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    );
    return out === 'True' ? true : undefined;
  });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cc = await startControlCenter(
    port,
    {
      KUBECONFIG: lab.kubeconfig,
      KUBERNETES_SERVICE_HOST: '',
      JUDGE_TOKEN: `attack-11-${Date.now()}`,
      CONTROL_CENTER_CONFIG: E2E_CONFIG,
      CONTROL_CENTER_DATA_DIR: dataDir,
      AUTH_SECRET: `attack-11-${Date.now()}-0123456789abcdef0123456789`,
      ...(lab.windowUrl ? { METRICS_WINDOW_URL: lab.windowUrl } : {}),
    },
    path.join(root, 'control-center.log'),
  );
  procs.push(cc);
  // The audit log opens the control center's database.
  const res = await fetch(`${url}/api/v1/audit`, { headers: { cookie: await apiLogin(url, 'admin') } });
  expect(res.status).toBe(200);

  // The walk covers what matters: the databases with their WAL, keys, token, kubeconfig, logs, Prometheus, volumes.
  for (const rel of [
    'lab.db',
    'lab.db-wal',
    'pki/ca.key',
    'pki/ca.crt',
    'token',
    'kubeconfig',
    'logs/attack/p/webapp.log',
    'prometheus/prometheus.yml',
    'prometheus/data',
    'volumes/attack/p/files/a',
  ])
    expect(has(labDir, rel), `${rel} in the lab folder`).toBe(true);
  for (const rel of ['control-center.db', 'control-center.db-wal'])
    expect(has(dataDir, rel), `${rel} in the data folder`).toBe(true);

  // `home` is this test's own HOME for kubectl (its discovery cache), not something the lab writes.
  expect(openModes(labDir, ['home'])).toEqual([]);
  expect(openModes(dataDir)).toEqual([]);
  // The second belt: both processes run with umask 077 (what a library writes without a mode stays private).
  const umask = (pid: number | undefined) =>
    /^Umask:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  expect(umask(procs[0]?.child.pid)).toBe('0077');
  expect(umask(cc.child.pid)).toBe('0077');
  // Both said what they fixed.
  expect(procs[0]?.output()).toContain('made the state folder private');
  expect(cc.output()).toContain('control center: made private');
});
