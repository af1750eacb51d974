import type { ChildProcess } from 'node:child_process';
import { type KubeObject, resource, waitFor } from '@control-center/lab/testing';
import type { V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnElector } from './testing/elector-process';
import { type LabKube, startLabKube } from './testing/lab-kube';

/** SIGTERM releases the Lease (holder '', 1 s) and the process still exits as it would have: real processes, lab API. */
const NS = 'control-center';

let env: LabKube;
const procs: ChildProcess[] = [];

function leader(lease: string, extra: Record<string, string> = {}) {
  const e = spawnElector({
    KUBECONFIG: env.lab.kubeconfig,
    ELECTOR_ID: `${lease}-holder`,
    LEASE_NAMESPACE: NS,
    LEASE_NAME: lease,
    LEASE_TIMES: '15/10/2',
    ON_SIGNAL: 'release-on-signal',
    ...extra,
  });
  procs.push(e.proc);
  return {
    proc: e.proc,
    exited: e.exited,
    get events() {
      return e.events.map((x) => x.event);
    },
  };
}

const leaseSpec = (name: string) =>
  (env.lab.store.get(resource('leases'), NS, name) as unknown as V1Lease | undefined)?.spec;

beforeAll(async () => {
  env = await startLabKube();
  env.lab.store.create(resource('namespaces'), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  } as KubeObject);
});
afterAll(async () => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await env?.close();
});

describe('release on SIGTERM', () => {
  it('no other listener: the Lease is released, then the process dies of SIGTERM as by default', async () => {
    const c = leader('plain');
    await waitFor('the child to lead', () => c.events.includes('started'), 30_000, 50);
    expect(leaseSpec('plain')).toMatchObject({ holderIdentity: 'plain-holder', leaseDurationSeconds: 15 });
    c.proc.kill('SIGTERM');
    expect(await c.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(c.events).toContain('released');
    expect(leaseSpec('plain')).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 0,
    });
  });

  it("an earlier listener that exits (next start's): it runs after the release and its exit code stands", async () => {
    const c = leader('next', { EARLIER_EXIT: '143' });
    await waitFor('the child to lead', () => c.events.includes('started'), 30_000, 50);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toEqual({ code: 143, signal: null });
    expect(c.events.indexOf('released')).toBeGreaterThanOrEqual(0);
    expect(c.events.indexOf('earlier-listener')).toBeGreaterThan(c.events.indexOf('released'));
    expect(leaseSpec('next')).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });
});
