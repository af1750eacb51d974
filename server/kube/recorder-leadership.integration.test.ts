import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@control-center/lab/testing';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { startTimelineRecorder } from '@/server/audit/timeline-recorder';
import { TimelineStore } from '@/server/audit/timeline-store';
import { SqliteStore } from '@/server/store/sqlite/sqlite-store';
import { SINGLE_SCOPE } from '@/server/store/types';
import type { LeaderElector } from './leader-election';
import type { LeaderGate } from './leader-gate';
import { electedStore } from './recorder-leadership';
import { createInformerRegistry, type InformerRegistry } from './registry';
import { inProgress, setRollout } from './testing/demo-seed';
import { create, type LabKube, R, startLabKube } from './testing/lab-kube';

/**
 * Two replicas' timeline recorders on one SQLite file, each behind a real LeaderElector on the lab: the standby holds
 * what it sees and writes it on takeover; every change is stored once although both saw it (keys from the object).
 */
let env: LabKube;
let dir: string;
const stops: Array<() => unknown> = [];
const opened = (s: SqliteStore): SqliteStore => {
  stops.unshift(() => s.close());
  return s;
};

interface Replica {
  elector: LeaderElector;
  reg: InformerRegistry;
  gate: LeaderGate<TimelineEntry>;
  stopRecorder: () => void;
}

async function replica(id: string, file: string, clockSkewMs: number): Promise<Replica> {
  const { elector, gate, store } = electedStore(
    new TimelineStore(SINGLE_SCOPE, opened(SqliteStore.open(file))),
    env.kc.makeApiClient(CoordinationV1Api),
    {
      namespace: 'control-center',
      leaseName: 'recorder',
      leaseDurationSeconds: 3,
      renewDeadlineSeconds: 2,
      retryPeriodSeconds: 0.5,
    },
    id,
  );
  const reg = createInformerRegistry(env.kc, { backoffMs: 100, maxBackoffMs: 400 });
  expect(await reg.waitForSync(15_000)).toBe(true);
  // Each replica's own clock (skewed): keys must not depend on it.
  const stopRecorder = startTimelineRecorder(reg, store, () =>
    new Date(Date.now() + clockSkewMs).toISOString(),
  );
  stops.push(
    stopRecorder,
    () => reg.stop(),
    () => elector.stop(),
  );
  return { elector, reg, gate, stopRecorder };
}

beforeAll(async () => {
  env = await startLabKube();
  dir = mkdtempSync(path.join(tmpdir(), 'recorders-'));
  create(env.lab, 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'control-center' },
  });
  create(env.lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
});
afterAll(async () => {
  for (const s of stops.reverse()) await s();
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

const status = (step: number, weight: number, phase: string) => (o: Record<string, unknown>) => ({
  ...o,
  status: {
    ...inProgress,
    phase,
    currentStepIndex: step,
    canary: {
      weights: {
        canary: { weight, podTemplateHash: 'h2' },
        stable: { weight: 100 - weight, podTemplateHash: 'h1' },
      },
    },
  },
});

describe('recorders of two replicas on one store', () => {
  it('only the leader writes; the standby writes what it held on takeover; every change is stored once', async () => {
    const file = path.join(dir, 'audit.db');
    setRollout(env.lab, 'v1.1', { ...inProgress, currentStepIndex: 0 });
    const a = await replica('replica-a', file, 0);
    a.elector.start();
    await waitFor('replica-a to lead', () => a.elector.isLeader(), 10_000, 20);
    const b = await replica('replica-b', file, 7_000);
    b.elector.start();

    const mutate = (step: number, weight: number, phase: string) =>
      env.lab.store.mutate(R.ro, 'demo', 'webapp', status(step, weight, phase) as never, {
        subresource: 'status',
      });
    const reader = new TimelineStore(SINGLE_SCOPE, opened(SqliteStore.open(file)));
    const rows = () => reader.list('demo', 'webapp', { limit: 100 });

    mutate(1, 10, 'Paused');
    await waitFor(
      'replica-a to record step 2',
      async () => (await rows()).some((e) => e.summary.startsWith('step 2/5')),
      10_000,
      20,
    );
    await waitFor('replica-b to hold the same change', () => b.gate.heldCount() >= 3, 10_000, 20);
    expect(b.elector.isLeader()).toBe(false);

    // replica-a stops seeing changes (its recorder is gone), then hands the Lease over.
    a.stopRecorder();
    mutate(2, 10, 'Progressing');
    await waitFor('replica-b to hold the step replica-a missed', () => b.gate.heldCount() >= 5, 10_000, 20);
    expect((await rows()).some((e) => e.summary.startsWith('step 3/5'))).toBe(false);
    await a.elector.stop();
    await waitFor(
      'replica-b to lead and write what it held',
      async () => (await rows()).some((e) => e.summary.startsWith('step 3/5')),
      10_000,
      20,
    );
    mutate(3, 50, 'Progressing');
    await waitFor(
      'replica-b to record step 4',
      async () => (await rows()).some((e) => e.summary.startsWith('step 4/5')),
      10_000,
      20,
    );

    const all = await rows();
    expect(all.map((e) => e.summary).sort()).toEqual(
      [
        'Paused',
        'Progressing',
        'canary weight 0 % → 10 %',
        'canary weight 10 % → 50 %',
        'step 2/5 pause (until promoted)',
        'step 3/5 analysis webapp-slo',
        'step 4/5 setWeight 50',
      ].sort(),
    );
  });
});
