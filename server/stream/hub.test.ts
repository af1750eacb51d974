import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/rollout/kube-types';
import type { InformerEvent } from '@/server/kube/informer';
import type { Connectivity, InformerRegistry } from '@/server/kube/registry';
import { StreamHub } from './hub';
import { sseResponse } from './sse';
import { sseReader } from './testing/sse-reader';

// A scripted registry, not real informers: these tests choose each event's resourceVersion, count and order and read
// the subscriber count, which informers over an API server do not let a test set; real informers feed the hub in
// app/api/v1/stream/route.test.ts.
function fakeRegistry() {
  const subs = new Set<(ev: InformerEvent) => void>();
  const objects: KubeObject[] = [];
  const reg: InformerRegistry = {
    list: (kind) => (kind === 'rollout' ? objects : []),
    get: () => undefined,
    subscribe: (fn) => {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    onConnectivity: () => () => undefined,
    connectivity: () =>
      ({ connected: true, synced: true, lastError: null, kinds: {} }) as unknown as Connectivity,
    waitForSync: async () => true,
    stop: async () => undefined,
  };
  const emit = (name: string, rv: number) => {
    const object = { kind: 'Rollout', metadata: { name, namespace: 'demo', resourceVersion: String(rv) } };
    for (const fn of subs) fn({ kind: 'rollout', type: 'MODIFIED', object });
  };
  return { reg, emit, objects, subs };
}

describe('StreamHub', () => {
  it('numbers events monotonically and answers since() only while the ring reaches back', () => {
    const f = fakeRegistry();
    const hub = new StreamHub(f.reg, 3);
    const start = hub.currentSeq;
    for (let i = 1; i <= 5; i++) f.emit('a', i);
    expect(hub.currentSeq).toBe(start + 5);
    expect(hub.since(start + 5)).toEqual([]);
    expect(hub.since(start + 3)?.map((e) => e.seq)).toEqual([start + 4, start + 5]);
    expect(hub.since(start + 2)?.map((e) => e.seq)).toEqual([start + 3, start + 4, start + 5]);
    expect(hub.since(start + 1)).toBeUndefined(); // fell out of the ring
    expect(hub.since(start + 99)).toBeUndefined(); // from the future (another process)
    hub.close();
    expect(f.subs.size).toBe(0);
  });

  it('sends heartbeat comments and stops its subscription when the client goes away', async () => {
    const f = fakeRegistry();
    const hub = new StreamHub(f.reg);
    const ctl = new AbortController();
    const s = sseReader(sseResponse(hub, { filter: {}, heartbeatMs: 30, signal: ctl.signal }));
    await s.until((m) => m.event === 'snapshot' && m.data.type === 'END');
    await s.until((m) => m.event === 'comment' && m.data === 'heartbeat', 1000);
    f.emit('x', 7);
    const got = await s.until((m) => m.event === 'rollout');
    expect(got.at(-1)?.data).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'x' } } });
    ctl.abort();
    await s.until(() => false, 1000).catch(() => undefined);
    expect(s.ended).toBe(true);
    f.emit('y', 8); // nobody listens any more: no throw
    hub.close();
  });
});
