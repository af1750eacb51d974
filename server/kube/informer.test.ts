import { waitFor } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInformerRegistry, type InformerRegistry } from './registry';
import { create, type LabKube, R, startLabKube } from './testing/lab-kube';

let k: LabKube;
let reg: InformerRegistry;
const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'demo' },
  data,
});

beforeAll(async () => {
  k = await startLabKube({ historySize: 20 });
  create(k.lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  create(k.lab, 'configmaps', cm('webapp-faults', { 'faults.json': '{}' }));
  create(k.lab, 'configmaps', cm('unrelated'));
  reg = createInformerRegistry(k.kc, { backoffMs: 100, maxBackoffMs: 400, watchTimeoutSeconds: 1 });
});
afterAll(async () => {
  await reg?.stop();
  await k?.close();
});

describe('informer registry against the lab API (real client-node, HTTPS)', () => {
  it('lists every kind across namespaces and keeps only the webapp-faults ConfigMap', async () => {
    expect(await reg.waitForSync(10_000)).toBe(true);
    expect(reg.connectivity()).toMatchObject({ connected: true, synced: true, lastError: null });
    expect(reg.list('configmap').map((o) => o.metadata?.name)).toEqual(['webapp-faults']);
    expect(reg.list('configmap')[0]).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
  });

  it('delivers ADDED, MODIFIED and DELETED from the watch', async () => {
    const seen: string[] = [];
    const off = reg.subscribe((ev) => {
      if (ev.kind === 'configmap') seen.push(`${ev.type} ${ev.object.metadata?.name}`);
    });
    k.lab.store.mutate(R.cm, 'demo', 'webapp-faults', (o) => ({
      ...o,
      data: { 'faults.json': '{"v1.1":{}}' },
    }));
    await waitFor('modified', () => seen.includes('MODIFIED webapp-faults'), 5000);
    k.lab.store.delete(R.cm, 'demo', 'webapp-faults');
    await waitFor('deleted', () => seen.includes('DELETED webapp-faults'), 5000);
    create(k.lab, 'configmaps', cm('webapp-faults'));
    await waitFor('added', () => seen.includes('ADDED webapp-faults'), 5000);
    off();
    expect(reg.get('configmap', 'demo', 'webapp-faults')).toBeDefined();
  });

  it('relists after an expired resourceVersion (410) and catches up', async () => {
    const before = reg.connectivity().kinds.rollout.relists;
    // Push the store's change history past the rollouts watch's resourceVersion while it is between watches.
    for (let i = 0; i < 40; i++) create(k.lab, 'configmaps', cm(`filler-${i}`));
    await waitFor('relist', () => reg.connectivity().kinds.rollout.relists > before, 8000);
    expect(reg.connectivity().connected).toBe(true);
  });

  it('reports the outage while the API server is down and relists when it is back', async () => {
    const states: boolean[] = [];
    const off = reg.onConnectivity((c) => states.push(c.connected));
    await k.restartApi(async () => {
      await waitFor('disconnected', () => !reg.connectivity().connected, 8000);
      expect(reg.connectivity().lastError).toBeTruthy();
      // A change made while the server is down shows up after the relist.
      k.lab.store.mutate(R.cm, 'demo', 'webapp-faults', (o) => ({
        ...o,
        data: { 'faults.json': '{"x":1}' },
      }));
    });
    await waitFor('reconnected', () => reg.connectivity().connected, 8000);
    await waitFor(
      'caught up',
      () =>
        (reg.get('configmap', 'demo', 'webapp-faults')?.data as Record<string, string>)?.['faults.json'] ===
        '{"x":1}',
      5000,
    );
    off();
    expect(states).toContain(false);
    expect(states.at(-1)).toBe(true);
  });
});
