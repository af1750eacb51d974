import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { requireTool } from '../../support/testing/tools';
import { type LabProgram, type Proc, startLabProgram, until } from '../lab-fixture';

/**
 * Class 12, the lab's own holes, as the outside battery used them against a running lab (kubectl as the lab's admin,
 * any local process for Prometheus): Prometheus' lifecycle API, a pod's NODE_OPTIONS reaching the local Node process,
 * a volume name that walks out of the lab's volume folder. Each is refused, and what it aimed at is read back unchanged.
 */
let root = '';
let labDir = '';
let lab: LabProgram;
const procs: Proc[] = [];

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  requireTool('prometheus');
  requireTool('kubectl');
  root = mkdtempSync(path.join(tmpdir(), 'attack-12-'));
  labDir = path.join(root, 'lab');
  lab = await startLabProgram(labDir, procs, { prometheus: true });
  await lab.kubectl('create', 'namespace', 'attack');
});

test.afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: unknown;
}

function manifestFile(manifest: Manifest, kind: string): string {
  const file = path.join(root, `${kind}-${manifest.metadata.name}.json`);
  writeFileSync(file, JSON.stringify(manifest));
  return file;
}

/** kubectl apply of one manifest; resolves to kubectl's stderr when the API server refused it, else throws. */
async function applyRefused(manifest: Manifest): Promise<string> {
  try {
    await lab.kubectl('apply', '-f', manifestFile(manifest, manifest.kind));
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error('kubectl apply succeeded: the API server took the manifest');
}

test('POST /-/quit to the lab Prometheus is refused and Prometheus keeps running', async () => {
  const url = lab.prometheusUrl ?? '';
  const pid = Number(readFileSync(path.join(labDir, 'prometheus', 'prometheus.pid'), 'utf8'));
  const quit = await fetch(`${url}/-/quit`, { method: 'POST' });
  expect(quit.status).toBe(403);
  expect(await quit.text()).toContain('Lifecycle API is not enabled');
  const wipe = await fetch(`${url}/api/v1/admin/tsdb/delete_series?match[]={__name__=~".+"}`, {
    method: 'POST',
  });
  expect(wipe.ok).toBe(false);
  expect(await wipe.text()).toContain('admin APIs disabled');

  // Read back: the same process answers, with the lifecycle and admin APIs off and on loopback only.
  expect(existsSync(`/proc/${pid}`)).toBe(true);
  expect((await fetch(`${url}/-/ready`)).status).toBe(200);
  const flags = (
    (await (await fetch(`${url}/api/v1/status/flags`)).json()) as { data: Record<string, string> }
  ).data;
  expect(flags['web.enable-lifecycle']).toBe('false');
  expect(flags['web.enable-admin-api']).toBe('false');
  expect(flags['web.listen-address']).toMatch(/^127\.0\.0\.1:\d+$/);
  // ...and goes on scraping the gateway after the attack.
  await until('a scrape after the attack', 30_000, async () => {
    const q = (await (await fetch(`${url}/api/v1/query?query=up{job="istio-ingressgateway"}`)).json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    return q.data.result[0]?.value[1] === '1' ? true : undefined;
  });
});

test("a pod's NODE_OPTIONS=--require never runs on the lab's machine, and the pod still runs", async () => {
  const marker = path.join(root, 'evil-ran');
  const evil = path.join(root, 'evil.js');
  writeFileSync(evil, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'pwned');\n`);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-options', namespace: 'attack' },
    spec: {
      containers: [
        {
          name: 'webapp',
          image: 'localhost:5001/webapp:v1.0',
          env: [
            { name: 'NODE_OPTIONS', value: `--require=${evil}` },
            { name: 'LD_PRELOAD', value: path.join(root, 'nothing.so') },
          ],
          ports: [{ name: 'http', containerPort: 8080 }],
        },
      ],
    },
  };
  await lab.kubectl('apply', '-f', manifestFile(pod, 'Pod'));
  const ready = await until('the pod Ready', 60_000, async () => {
    const p = JSON.parse(await lab.kubectl('get', 'pod', 'node-options', '-n', 'attack', '-o', 'json')) as {
      metadata: { annotations?: Record<string, string> };
      status?: { conditions?: Array<{ type: string; status: string }> };
    };
    return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
  });
  // The process started (it answers) without the attacker's file having run.
  const port = ready.metadata.annotations?.['lab.rollouts.io/port'];
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  expect(existsSync(marker)).toBe(false);
  const events = JSON.parse(
    await lab.kubectl(
      'get',
      'events',
      '-n',
      'attack',
      '--field-selector',
      'involvedObject.name=node-options',
      '-o',
      'json',
    ),
  ) as { items: Array<{ type: string; reason: string; message: string }> };
  const warning = events.items.find((e) => e.reason === 'PolicyViolation');
  expect(warning?.type).toBe('Warning');
  expect(warning?.message).toContain('Dropped env "LD_PRELOAD", "NODE_OPTIONS" of container webapp');
});

test('a volume named ../../escape is 422 naming the field, and nothing is created outside the volume folder', async () => {
  const volumes = [{ name: '../../escape', emptyDir: {} }];
  const container = {
    name: 'webapp',
    image: 'localhost:5001/webapp:v1.0',
    volumeMounts: [{ name: '../../escape', mountPath: '/data' }],
  };
  const podErr = await applyRefused({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'escape', namespace: 'attack' },
    spec: { volumes, containers: [container] },
  });
  expect(podErr).toContain('The Pod "escape" is invalid');
  expect(podErr).toContain('spec.volumes[0].name: Invalid value: "../../escape": a lowercase RFC 1123 label');
  expect(podErr).toContain('spec.containers[0].volumeMounts[0].name: Not found: "../../escape"');

  const labels = { app: 'escape' };
  const rolloutErr = await applyRefused({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'escape', namespace: 'attack' },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { volumes, containers: [container] } },
      strategy: { canary: { steps: [{ setWeight: 50 }] } },
    },
  });
  expect(rolloutErr).toContain('The Rollout "escape" is invalid');
  expect(rolloutErr).toContain(
    'spec.template.spec.volumes[0].name: Invalid value: "../../escape": a lowercase RFC 1123 label',
  );
  expect(rolloutErr).toContain(
    'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "../../escape"',
  );

  // Read back: neither object exists, and no folder named escape appeared anywhere under the lab's state folder.
  const pods = await lab.kubectl('get', 'pods,rollouts,replicasets', '-n', 'attack', '-o', 'name');
  expect(pods.split('\n').filter((l) => l.includes('escape'))).toEqual([]);
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 12) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'escape') found.push(path.join(dir, e.name));
      if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1);
    }
  };
  walk(root, 0);
  expect(found).toEqual([]);
});
