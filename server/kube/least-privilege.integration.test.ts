/**
 * The shipped RBAC, enforced by the lab's API server: the control center runs with a token of its ServiceAccount bound
 * to exactly manifests/control-center/rbac.yaml (applied with the real kubectl, token from `kubectl create token`).
 * Every feature works in the managed namespace; an action in another namespace is refused by the API server with 403,
 * through kubectl and through the control center; `kubectl auth can-i` answers for both tokens. In its own namespace the
 * token may create Leases and get + update the recorder's Lease only, which the control center's own elector uses.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type KubeObject, labRequest, resource, writeKubeconfig } from '@control-center/lab/testing';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { POST } from '@/app/api/v1/rollouts/[namespace]/[name]/[action]/route';
import { GET as getList } from '@/app/api/v1/rollouts/route';
import { GET as getStream } from '@/app/api/v1/stream/route';
import { requestAs, sessionCookie } from '@/server/auth/testing/session';
import { runtime, setRuntime } from '@/server/runtime/current';
import { buildRuntime, type Runtime } from '@/server/runtime/runtime';
import { sseReader } from '@/server/stream/testing/sse-reader';
import { requireTool } from '@/support/testing/tools';
import { canaryTargetOf, readRollout } from '../slo/rollout-target';
import { createInformerRegistry } from './registry';
import { rolloutObject, seedDemo } from './testing/demo-seed';
import { create, type LabKube, R, startLabKube } from './testing/lab-kube';

const ROOT = path.resolve(__dirname, '../..');
const MANIFESTS = path.join(ROOT, 'manifests/control-center');
const SA_USER = 'system:serviceaccount:control-center:control-center';

let k: LabKube;
let saToken = '';
let saKubeconfig = '';
const stops: Array<() => unknown> = [];
let previous: Runtime | undefined;

/** The real kubectl against the lab: as the admin, or with the ServiceAccount's kubeconfig. */
const kubectl = (args: string[], as: 'admin' | 'sa' = 'admin') =>
  as === 'admin' ? k.lab.kubectl(args) : k.lab.kubectl(['--kubeconfig', saKubeconfig, ...args]);

const strategy = {
  canary: {
    canaryService: 'webapp-canary',
    stableService: 'webapp-stable',
    trafficRouting: { istio: { virtualService: { name: 'webapp-vs', routes: ['primary'] } } },
    steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }],
  },
};

/** The demo objects (namespace, faults ConfigMap, VirtualService, Services, Rollout) in `ns`. */
function seedNamespace(ns: string): void {
  if (ns === 'demo') seedDemo(k.lab);
  else {
    create(k.lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const plural of ['configmaps', 'virtualservices']) {
      const o = k.lab.store.get(
        resource(plural),
        'demo',
        plural === 'configmaps' ? 'webapp-faults' : 'webapp-vs',
      );
      const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = (o as KubeObject).metadata;
      create(k.lab, plural, { ...(o as KubeObject), metadata: { ...meta, namespace: ns } });
    }
  }
  for (const name of ['webapp-stable', 'webapp-canary'])
    create(k.lab, 'services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { selector: { app: 'webapp' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
  const ro = rolloutObject('v1.0', { strategy });
  create(k.lab, 'rollouts', { ...ro, metadata: { ...ro.metadata, namespace: ns } });
}

/** The namespaces the shipped config manages (manifests/control-center/configmap.yaml). */
const managedNamespaces = (): string[] =>
  (
    parse(
      (
        parse(readFileSync(path.join(MANIFESTS, 'configmap.yaml'), 'utf8')) as {
          data: Record<string, string>;
        }
      ).data['config.yaml'] ?? '',
    ) as { namespaces: string[] }
  ).namespaces;

beforeAll(async () => {
  requireTool('kubectl');
  k = await startLabKube({ workloads: true, controller: { resyncMs: 500, debounceMs: 5 } });
  seedNamespace('demo');
  seedNamespace('other');

  // The cluster admin installs the control center's identity from the shipped files, as `./run.sh setup` does.
  for (const file of ['namespace.yaml', 'rbac.yaml']) {
    const r = await kubectl(['apply', '-f', path.join(MANIFESTS, file)]);
    expect(r.code, r.stderr).toBe(0);
  }
  const tok = await kubectl(['create', 'token', 'control-center', '-n', 'control-center']);
  expect(tok.code, tok.stderr).toBe(0);
  saToken = tok.stdout.trim();
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-sa-'));
  saKubeconfig = await writeKubeconfig(dir, { server: k.lab.server.url, caPem: k.lab.caPem, token: saToken });

  // The control center runs with that token only, and the shipped config's managed namespaces.
  const base = parse(readFileSync(process.env.CONTROL_CENTER_CONFIG ?? '', 'utf8')) as Record<
    string,
    unknown
  >;
  const config = path.join(dir, 'control-center.yaml');
  writeFileSync(config, stringify({ ...base, namespaces: managedNamespaces() }));
  process.env.CONTROL_CENTER_CONFIG = config;
  process.env.KUBECONFIG = saKubeconfig;
  // The server's own composition root, from that configuration: nothing a test wired by hand.
  previous = setRuntime(buildRuntime());
});
afterAll(async () => {
  for (const s of stops.reverse()) await s();
  await runtime().stop();
  setRuntime(previous);
  await k?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
type Json = any;
const act = async (ns: string, action: string, body?: unknown) => {
  const res = await POST(
    await requestAs('admin', `http://cc.test/api/v1/rollouts/${ns}/webapp/${action}`, {
      method: 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ namespace: ns, name: 'webapp', action }) },
  );
  return { status: res.status, json: (await res.json()) as Json };
};
const listRollouts = async () =>
  (await getList(await requestAs('viewer', 'http://cc.test/api/v1/rollouts'))).json() as Promise<Json>;
const rollout = (ns = 'demo') =>
  k.lab.store.get(R.ro, ns, 'webapp') as KubeObject & { status?: Json; spec: Json };
async function until<T>(
  what: string,
  f: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const forbiddenIn = (verb: string, resource: string, group: string, ns: string) =>
  `User "${SA_USER}" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${ns}"`;

describe('kubectl auth can-i, for the admin token and the control center token', () => {
  it('answers yes/no as the shipped Role says, and the admin may do anything', async () => {
    const cases: Array<[string[], boolean]> = [
      [['patch', 'rollouts.argoproj.io', '-n', 'demo'], true],
      [['patch', 'rollouts.argoproj.io', '--subresource=status', '-n', 'demo'], true],
      [['update', 'rollouts.argoproj.io/webapp', '-n', 'demo'], true],
      [['delete', 'rollouts.argoproj.io', '-n', 'demo'], false],
      [['watch', 'analysisruns.argoproj.io', '-n', 'demo'], true],
      [['list', 'events', '-n', 'demo'], true],
      [['list', 'replicasets.apps', '-n', 'demo'], true],
      [['create', 'jobs.batch', '-n', 'demo'], true],
      [['patch', 'configmaps/webapp-faults', '-n', 'demo'], true],
      [['patch', 'configmaps/other-config', '-n', 'demo'], false],
      [['get', 'secrets', '-n', 'demo'], false],
      [['patch', 'rollouts.argoproj.io', '-n', 'other'], false],
      [['create', 'jobs.batch', '-n', 'other'], false],
      [['list', 'rollouts.argoproj.io', '--all-namespaces'], false],
      [['list', 'namespaces'], false],
    ];
    for (const [args, sa] of cases) {
      const mine = await kubectl(['auth', 'can-i', ...args], 'sa');
      expect([mine.code, mine.stdout.trim()], `control center: can-i ${args.join(' ')}`).toEqual(
        sa ? [0, 'yes'] : [1, 'no'],
      );
      const admin = await kubectl(['auth', 'can-i', ...args]);
      expect([admin.code, admin.stdout.trim()], `admin: can-i ${args.join(' ')}`).toEqual([0, 'yes']);
    }
    const who = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], 'sa');
    expect(who.stdout).toBe(SA_USER);
    const list = await kubectl(['auth', 'can-i', '--list', '-n', 'demo'], 'sa');
    expect(list.stdout).toMatch(/^rollouts\.argoproj\.io\s+\[\]\s+\[\]\s+\[get list watch patch update\]$/m);
    expect(list.stdout).toMatch(/^rollouts\.argoproj\.io\/status\s+\[\]\s+\[\]\s+\[patch\]$/m);
    expect(list.stdout).toMatch(/^configmaps\s+\[\]\s+\[webapp-faults\]\s+\[get list watch patch\]$/m);
    const elsewhere = await kubectl(['auth', 'can-i', '--list', '-n', 'other'], 'sa');
    expect(elsewhere.stdout).not.toMatch(/rollouts/);
  });
});

describe("the recorder's Lease with the control center token", () => {
  const LEASE = 'control-center-recorder';
  const lease = (name: string, holder: string) =>
    JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'control-center' },
      spec: {
        holderIdentity: holder,
        leaseDurationSeconds: 15,
        acquireTime: '2026-01-02T03:04:05.000006Z',
        renewTime: '2026-01-02T03:04:05.000006Z',
        leaseTransitions: 0,
      },
    });
  const applyStdin = async (args: string[], body: string, as: 'admin' | 'sa') => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cc-lease-')), 'lease.json');
    writeFileSync(file, body);
    return kubectl([...args, '-f', file], as);
  };

  it('can-i: create, and get + update of its own Lease only, in its own namespace', async () => {
    const cases: Array<[string[], boolean]> = [
      [['create', 'leases.coordination.k8s.io', '-n', 'control-center'], true],
      [['get', `leases.coordination.k8s.io/${LEASE}`, '-n', 'control-center'], true],
      [['update', `leases.coordination.k8s.io/${LEASE}`, '-n', 'control-center'], true],
      [['patch', `leases.coordination.k8s.io/${LEASE}`, '-n', 'control-center'], false],
      [['delete', `leases.coordination.k8s.io/${LEASE}`, '-n', 'control-center'], false],
      [['get', 'leases.coordination.k8s.io/another', '-n', 'control-center'], false],
      [['list', 'leases.coordination.k8s.io', '-n', 'control-center'], false],
      [['watch', 'leases.coordination.k8s.io', '-n', 'control-center'], false],
      [['create', 'leases.coordination.k8s.io', '-n', 'demo'], false],
      [['get', `leases.coordination.k8s.io/${LEASE}`, '-n', 'kube-system'], false],
      [['get', 'secrets', '-n', 'control-center'], false],
    ];
    for (const [args, sa] of cases) {
      const mine = await kubectl(['auth', 'can-i', ...args], 'sa');
      expect([mine.code, mine.stdout.trim()], `control center: can-i ${args.join(' ')}`).toEqual(
        sa ? [0, 'yes'] : [1, 'no'],
      );
    }
  });

  it('creates, reads and renews its Lease through the API server; any other Lease or verb is a 403', async () => {
    const created = await applyStdin(['create'], lease(LEASE, 'replica-a'), 'sa');
    expect(created.code, created.stderr).toBe(0);
    const got = await kubectl(['get', 'lease', LEASE, '-n', 'control-center', '-o', 'json'], 'sa');
    expect(got.code, got.stderr).toBe(0);
    const current = JSON.parse(got.stdout) as Json;
    expect(current.spec.holderIdentity).toBe('replica-a');
    // A renewal: PUT with the resourceVersion just read, as the election does.
    const renewed = await applyStdin(
      ['replace'],
      JSON.stringify({
        ...current,
        spec: { ...current.spec, holderIdentity: 'replica-b', leaseTransitions: 1 },
      }),
      'sa',
    );
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(
      JSON.parse((await kubectl(['get', 'lease', LEASE, '-n', 'control-center', '-o', 'json'])).stdout).spec,
    ).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: 1 });

    const other = await applyStdin(['create'], lease('another', 'someone'), 'admin');
    expect(other.code, other.stderr).toBe(0);
    const refused: Array<[string[], string]> = [
      [
        ['get', 'lease', 'another', '-n', 'control-center'],
        `leases.coordination.k8s.io "another" is forbidden: ${forbiddenIn('get', 'leases', 'coordination.k8s.io', 'control-center')}`,
      ],
      [
        ['get', 'leases', '-n', 'control-center'],
        `leases.coordination.k8s.io is forbidden: ${forbiddenIn('list', 'leases', 'coordination.k8s.io', 'control-center')}`,
      ],
      [
        ['delete', 'lease', LEASE, '-n', 'control-center'],
        `leases.coordination.k8s.io "${LEASE}" is forbidden: ${forbiddenIn('delete', 'leases', 'coordination.k8s.io', 'control-center')}`,
      ],
      [
        [
          'patch',
          'lease',
          LEASE,
          '-n',
          'control-center',
          '--type',
          'merge',
          '-p',
          '{"spec":{"holderIdentity":"x"}}',
        ],
        `leases.coordination.k8s.io "${LEASE}" is forbidden: ${forbiddenIn('patch', 'leases', 'coordination.k8s.io', 'control-center')}`,
      ],
    ];
    for (const [args, message] of refused) {
      const r = await kubectl(args, 'sa');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(`Error from server (Forbidden): ${message}`);
    }
    const elsewhere = await applyStdin(
      ['create', '-n', 'demo'],
      lease(LEASE, 'x').replace('"control-center"}', '"demo"}'),
      'sa',
    );
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(forbiddenIn('create', 'leases', 'coordination.k8s.io', 'demo'));
    // The refused writes changed nothing.
    expect(
      JSON.parse((await kubectl(['get', 'lease', LEASE, '-n', 'control-center', '-o', 'json'])).stdout).spec
        .holderIdentity,
    ).toBe('replica-b');
    await kubectl(['delete', 'lease', LEASE, 'another', '-n', 'control-center']);
  });

  it("the control center's own elector leads with this token (the shipped config's Lease name)", async () => {
    const { LeaderElector } = await import('./leader-election');
    const { leaderElectionSettings } = await import('../config/control-center-config');
    const { controlCenterConfigSchema } = await import('@/lib/schemas/control-center-config');
    const shipped = controlCenterConfigSchema.parse(
      parse(
        (
          parse(readFileSync(path.join(MANIFESTS, 'configmap.yaml'), 'utf8')) as {
            data: Record<string, string>;
          }
        ).data['config.yaml'] ?? '',
      ),
    );
    // The pod's namespace, as its service account file says it.
    const nsFile = path.join(mkdtempSync(path.join(tmpdir(), 'cc-sa-ns-')), 'namespace');
    writeFileSync(nsFile, 'control-center\n');
    const settings = leaderElectionSettings(shipped, nsFile);
    expect(settings).toMatchObject({ namespace: 'control-center', leaseName: LEASE });
    if (!settings) return;
    const kc = new KubeConfig();
    kc.loadFromFile(saKubeconfig);
    let leading = false;
    const errors: string[] = [];
    const elector = new LeaderElector(
      kc.makeApiClient(CoordinationV1Api),
      {
        ...settings,
        leaseDurationSeconds: 4,
        renewDeadlineSeconds: 3,
        retryPeriodSeconds: 0.5,
        identity: 'pod-a',
      },
      {
        onStartedLeading: () => {
          leading = true;
        },
        onStoppedLeading: () => undefined,
        onError: (m) => errors.push(m),
      },
    );
    elector.start();
    try {
      await until('the elector leads', () => leading);
      const held = JSON.parse(
        (await kubectl(['get', 'lease', LEASE, '-n', 'control-center', '-o', 'json'])).stdout,
      );
      expect(held.spec.holderIdentity).toBe('pod-a');
      // It renews (get + update) with that token: the renewTime moves on.
      await until('a renewal', async () => {
        const now = JSON.parse(
          (await kubectl(['get', 'lease', LEASE, '-n', 'control-center', '-o', 'json'])).stdout,
        );
        return now.spec.renewTime !== held.spec.renewTime;
      });
      expect(errors).toEqual([]);
    } finally {
      await elector.stop();
    }
  });
});

describe('the API server refuses the control center token outside its namespaces', () => {
  it('kubectl with the token: 403 Forbidden worded as the API server words it', async () => {
    const get = await kubectl(['get', 'rollouts', '-n', 'other'], 'sa');
    expect(get.code).toBe(1);
    expect(get.stderr.trim()).toBe(
      `Error from server (Forbidden): rollouts.argoproj.io is forbidden: ${forbiddenIn('list', 'rollouts', 'argoproj.io', 'other')}`,
    );
    const patch = await kubectl(
      ['patch', 'rollout', 'webapp', '-n', 'other', '--type', 'merge', '-p', '{"spec":{"paused":true}}'],
      'sa',
    );
    expect(patch.code).toBe(1);
    expect(patch.stderr).toContain(
      `rollouts.argoproj.io "webapp" is forbidden: ${forbiddenIn('get', 'rollouts', 'argoproj.io', 'other')}`,
    );
    expect(rollout('other').spec.paused).toBeUndefined();
    const ok = await kubectl(['get', 'rollouts', '-n', 'demo', '-o', 'name'], 'sa');
    expect([ok.code, ok.stdout.trim()]).toEqual([0, 'rollout.argoproj.io/webapp']);
  });

  it('raw HTTPS with the token: the Status body of a refused create', async () => {
    const res = await labRequest({
      url: `${k.lab.server.url}/apis/batch/v1/namespaces/other/jobs`,
      method: 'POST',
      ca: k.lab.caPem,
      token: saToken,
      body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: {} },
    });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `jobs.batch is forbidden: ${forbiddenIn('create', 'jobs', 'batch', 'other')}`,
      reason: 'Forbidden',
      details: { group: 'batch', kind: 'jobs' },
      code: 403,
    });
  });
});

describe('the control center with exactly the shipped RBAC', () => {
  it('lists and watches every kind in the managed namespace (informers synced and connected)', async () => {
    const reg = runtime().context().informers;
    expect(await reg.waitForSync(30_000)).toBe(true);
    expect(reg.connectivity()).toMatchObject({ connected: true, synced: true, lastError: null });
    const l = await listRollouts();
    expect(l.items.map((i: Json) => `${i.namespace}/${i.name}`)).toEqual(['demo/webapp']);
    expect(l.connectivity).toEqual({ connected: true, lastError: null });
    await until('healthy', () => rollout().status?.phase === 'Healthy');
  });

  it('streams the informers to the browser (SSE snapshot of the rollout, its VirtualService and faults ConfigMap)', async () => {
    const ctl = new AbortController();
    const res = await getStream(
      new Request('http://cc.test/api/v1/stream?namespace=demo&rollout=webapp', {
        headers: { cookie: await sessionCookie('viewer') },
        signal: ctl.signal,
      }),
    );
    try {
      expect(res.status).toBe(200);
      const s = sseReader(res);
      const snap = await s.until((m) => m.event === 'snapshot' && m.data.type === 'END');
      const names = (event: string) =>
        snap.filter((m) => m.event === event).map((m) => m.data.object.metadata.name);
      expect(names('rollout')).toEqual(['webapp']);
      expect(names('virtualservice')).toEqual(['webapp-vs']);
      expect(names('configmap')).toEqual(['webapp-faults']);
      const status = await s.until((m) => m.event === 'status');
      expect(status.at(-1)?.data.object).toMatchObject({ kind: 'Connectivity', connected: true });
    } finally {
      ctl.abort();
    }
  });

  it('launches, promotes, aborts and retries a canary; pauses, restarts and undoes; judges its canary', async () => {
    expect((await act('demo', 'launch', { image: 'webapp:v1.1' })).status).toBe(200);
    await until('paused at 10 %', () => rollout().status?.phase === 'Paused');
    // The judge's reads: the Rollout, its canary ReplicaSet and AnalysisRuns by label, its Events.
    const target = await canaryTargetOf(await readRollout('demo', 'webapp'));
    expect(target).toMatchObject({ namespace: 'demo', rollout: 'webapp' });
    expect((await act('demo', 'promote')).status).toBe(200);
    await until('step 2', () => (rollout().status?.currentStepIndex ?? 0) >= 2);
    expect((await act('demo', 'abort')).status).toBe(200);
    await until('aborted', () => rollout().status?.abort === true);
    expect((await act('demo', 'retry')).status).toBe(200);
    await until('retried', () => rollout().status?.abort !== true);
    expect((await act('demo', 'pause')).status).toBe(200);
    expect(rollout().spec.paused).toBe(true);
    expect((await act('demo', 'resume')).status).toBe(200);
    expect((await act('demo', 'restart')).status).toBe(200);
    expect(rollout().spec.restartAt).toEqual(expect.any(String));
    const undo = await act('demo', 'undo', { revision: 1 });
    expect(undo.status, JSON.stringify(undo.json)).toBe(200);
  });

  it('injects and clears faults (the faults ConfigMap and the VirtualService) and starts and stops load', async () => {
    expect((await act('demo', 'launch', { image: 'webapp:v1.2' })).status).toBe(200);
    await until('a canary paused at 10 %', () => rollout().status?.phase === 'Paused');
    const canary = await act('demo', 'faults', { scope: 'canary', errorRate: 0.2 });
    expect(canary.status, JSON.stringify(canary.json)).toBe(200);
    expect(canary.json.target).toBe('configmap/webapp-faults');
    const mesh = await act('demo', 'faults', { scope: 'mesh', latencyMs: 200 });
    expect(mesh.status, JSON.stringify(mesh.json)).toBe(200);
    expect(JSON.stringify(k.lab.store.get(R.vs, 'demo', 'webapp-vs')?.spec)).toContain('fault');
    expect((await act('demo', 'faults', { scope: 'mesh', clear: true })).status).toBe(200);
    const start = await act('demo', 'load', { rps: 1, durationSeconds: 60 });
    expect(start.status, JSON.stringify(start.json)).toBe(200);
    expect(k.lab.store.list(R.job, { namespace: 'demo' }).items).toHaveLength(1);
    expect((await act('demo', 'load', { stop: true })).status).toBe(200);
  });

  it('an action in another namespace is refused by the API server: 403 with its message', async () => {
    const before = rollout('other').metadata.resourceVersion;
    for (const [action, body] of [
      ['promote', undefined],
      ['launch', { image: 'webapp:v1.1' }],
      ['faults', { scope: 'canary', errorRate: 0.5 }],
      ['load', { rps: 1, durationSeconds: 10 }],
    ] as const) {
      const r = await act('other', action, body);
      expect(r.status, `${action}: ${JSON.stringify(r.json)}`).toBe(403);
      expect(r.json.error).toEqual({
        code: 'forbidden',
        message: `rollouts.argoproj.io "webapp" is forbidden: ${forbiddenIn('get', 'rollouts', 'argoproj.io', 'other')}`,
      });
    }
    expect(rollout('other').metadata.resourceVersion).toBe(before);
    expect(k.lab.store.list(R.job, { namespace: 'other' }).items).toEqual([]);
  });

  it('asks the API server what its token may do: nothing greyed in demo, every action greyed in other', async () => {
    const demo = await runtime().context().access.identityReasons('demo');
    expect(
      Object.values(demo).every((r) => r === null),
      JSON.stringify(demo),
    ).toBe(true);
    const other = await runtime().context().access.identityReasons('other');
    expect(other.promote).toBe("the control center's service account may not patch rollouts/status in other");
    expect(other.launch).toBe("the control center's service account may not get rollouts in other");
    expect(other.faults).toBe(
      "the control center's service account may not get configmaps webapp-faults in other",
    );
    expect(other.load).toBe("the control center's service account may not list jobs in other");
    expect(Object.values(other).every((r) => r !== null)).toBe(true);
  });

  it('watching a namespace outside the Role surfaces the 403 in the connectivity', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(saKubeconfig);
    const reg = createInformerRegistry(kc, {
      namespaces: ['demo', 'other'],
      backoffMs: 100,
    });
    try {
      const c = await until('a list error', () => {
        const now = reg.connectivity();
        return now.lastError ? now : undefined;
      });
      expect(c.connected).toBe(false);
      expect(c.lastError).toContain(`is forbidden: User "${SA_USER}" cannot list resource`);
      expect(c.lastError).toContain('in the namespace "other"');
    } finally {
      await reg.stop();
    }
  });
});
