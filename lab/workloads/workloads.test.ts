import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabStore } from '../store/lab-store';
import type { KubeObject } from '../store/types';
import { startWorkloads, type Workloads } from './index';
import {
  alive,
  demoStore,
  ensureBuilt,
  HASH_STABLE,
  LOADGEN_ENTRY,
  pidsOf,
  podsOf,
  R,
  readyPods,
  replicaSet,
  tempDir,
  WEBAPP_ENTRY,
  waitFor,
} from './testing/lab-fixtures';

type Status = {
  phase?: string;
  podIP?: string;
  conditions?: Array<{ type: string; status: string }>;
  containerStatuses?: Array<{
    ready: boolean;
    restartCount: number;
    state: Record<string, { reason?: string; message?: string }>;
  }>;
};
const st = (o: KubeObject | undefined) => (o?.status ?? {}) as Status;

describe('lab workloads (real processes)', () => {
  let dir: string;
  let store: LabStore;
  let workloads: Workloads;
  const start = () =>
    startWorkloads({ store, dir, webappEntry: WEBAPP_ENTRY, loadgenEntry: LOADGEN_ENTRY, host: '127.0.0.1' });

  beforeAll(() => {
    ensureBuilt();
    dir = tempDir('lab-workloads');
    store = demoStore(dir);
    workloads = start();
  });
  afterAll(async () => {
    await workloads?.stop();
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a ReplicaSet gets its pods, Running and Ready as real processes; scaling down stops processes', async () => {
    store.create(R.rs, replicaSet('webapp-stable-rs', 'v1.0', HASH_STABLE, 3));
    const pods = await waitFor(
      '3 ready pods',
      () => readyPods(store, HASH_STABLE).length === 3 && readyPods(store, HASH_STABLE),
    );
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^webapp-stable-rs-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: 'webapp-stable-rs',
        controller: true,
      });
      expect(st(p).phase).toBe('Running');
      expect(st(p).podIP).toBe('127.0.0.1');
      const port = p.metadata.annotations?.['lab.rollouts.io/port'];
      const body = (await (await fetch(`http://127.0.0.1:${port}/api/work`)).json()) as { version: string };
      expect(body.version).toBe('v1.0');
      expect(pidsOf(p).every(alive)).toBe(true);
      expect(fs.existsSync(path.join(dir, 'logs/demo', p.metadata.name ?? '', 'webapp.log'))).toBe(true);
    }
    await waitFor('RS status', () => {
      const s = store.get(R.rs, 'demo', 'webapp-stable-rs')?.status as Record<string, number> | undefined;
      return (
        s?.readyReplicas === 3 && s.availableReplicas === 3 && s.replicas === 3 && s.observedGeneration === 1
      );
    });
    const pidsBefore = pods.flatMap(pidsOf);

    store.mutate(R.rs, 'demo', 'webapp-stable-rs', (rs) => ({
      ...rs,
      spec: { ...(rs.spec as object), replicas: 1 },
    }));
    await waitFor('1 pod left', () => podsOf(store, HASH_STABLE).length === 1);
    const left = pidsOf(podsOf(store, HASH_STABLE)[0] as KubeObject);
    await waitFor('removed processes gone', () =>
      pidsBefore.filter((p) => !left.includes(p)).every((p) => !alive(p)),
    );
    const events = store.list(R.events, { namespace: 'demo' }).items.map((e) => e.reason);
    expect(events).toEqual(
      expect.arrayContaining(['SuccessfulCreate', 'SuccessfulDelete', 'Scheduled', 'Started', 'Killing']),
    );

    // deleting a pod ends its process; the RS replaces it
    const victim = podsOf(store, HASH_STABLE)[0] as KubeObject;
    store.delete(R.pods, 'demo', victim.metadata.name ?? '');
    await waitFor('victim process gone', () => pidsOf(victim).every((p) => !alive(p)));
    await waitFor('replacement ready', () =>
      readyPods(store, HASH_STABLE).some((p) => p.metadata.name !== victim.metadata.name),
    );
  });

  it('a crashing container restarts with back-off and its restartCount grows', async () => {
    store.create(
      R.rs,
      replicaSet('crasher', 'v9', 'cccc3333', 1, [{ name: 'FAULT_ERROR_RATE', value: '2' }]),
    );
    const pod = await waitFor('restartCount >= 2', () =>
      podsOf(store, 'cccc3333').find((p) => (st(p).containerStatuses?.[0]?.restartCount ?? 0) >= 2),
    );
    expect(st(pod).conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    const log = fs.readFileSync(path.join(dir, 'logs/demo', pod.metadata.name ?? '', 'webapp.log'), 'utf8');
    expect(log).toContain('invalid_environment');
    const reasons = store.list(R.events, { namespace: 'demo' }).items.map((e) => e.reason);
    expect(reasons).toContain('BackOff');
    store.delete(R.rs, 'demo', 'crasher');
  });

  it('an image the lab cannot run leaves the pod Pending with ErrImagePull', async () => {
    const rs = replicaSet('nginx', 'v1', 'dddd4444', 1);
    const tpl = (rs.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template;
    (tpl.spec.containers[0] as { image: string }).image = 'nginx:1.27';
    store.create(R.rs, rs);
    const pod = await waitFor('ErrImagePull', () =>
      podsOf(store, 'dddd4444').find(
        (p) => st(p).containerStatuses?.[0]?.state.waiting?.reason === 'ErrImagePull',
      ),
    );
    expect(st(pod).phase).toBe('Pending');
    expect(st(pod).containerStatuses?.[0]?.state.waiting?.message).toContain(
      'image not available in the lab',
    );
    store.delete(R.rs, 'demo', 'nginx');
  });

  it('a loadgen Job runs once to completion', async () => {
    const target = readyPods(store, HASH_STABLE)[0] as KubeObject;
    const port = target.metadata.annotations?.['lab.rollouts.io/port'];
    store.create(R.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'load', namespace: 'demo' },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'loadgen',
                image: 'localhost:5001/loadgen:latest',
                args: [`http://127.0.0.1:${port}/api/work`, '--rps', '20', '--duration', '1s', '--json'],
              },
            ],
          },
        },
      },
    });
    const job = await waitFor('job complete', () => {
      const j = store.get(R.jobs, 'demo', 'load');
      return (j?.status as { succeeded?: number } | undefined)?.succeeded === 1 && j;
    });
    const status = job.status as {
      conditions: Array<{ type: string }>;
      completionTime?: string;
      startTime?: string;
      active: number;
    };
    expect(status.conditions.map((c) => c.type)).toContain('Complete');
    expect(status.completionTime).toBeTruthy();
    expect(status.startTime).toBeTruthy();
    const pod = store.list(R.pods, { namespace: 'demo', labelSelector: 'job-name=load' })
      .items[0] as KubeObject;
    expect(pod.metadata.name).toMatch(/^load-[a-z0-9]{5}$/);
    expect(st(pod).phase).toBe('Succeeded');
    const out = fs.readFileSync(path.join(dir, 'logs/demo', pod.metadata.name ?? '', 'loadgen.log'), 'utf8');
    expect(JSON.parse(out.slice(out.indexOf('{'))).total).toBeGreaterThan(10);
  });

  it('after a lab restart the pods come back Running with a new process', async () => {
    const before = readyPods(store, HASH_STABLE);
    expect(before).toHaveLength(1);
    const oldPids = before.flatMap(pidsOf);
    const restarts = st(before[0]).containerStatuses?.[0]?.restartCount ?? 0;
    await workloads.stop();
    expect(oldPids.every((p) => !alive(p))).toBe(true);
    workloads = start();
    const pod = await waitFor('pod back', () =>
      readyPods(store, HASH_STABLE).find((p) => pidsOf(p).some((x) => !oldPids.includes(x) && alive(x))),
    );
    expect(pod.metadata.name).toBe(before[0]?.metadata.name);
    expect(st(pod).containerStatuses?.[0]?.restartCount).toBe(restarts + 1);
    const port = pod.metadata.annotations?.['lab.rollouts.io/port'];
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // the finished Job pod is left alone
    const job = store.get(R.jobs, 'demo', 'load');
    expect((job?.status as { succeeded?: number } | undefined)?.succeeded).toBe(1);
  });
});
