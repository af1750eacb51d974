import { describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '@/lib/rollout/kube-types';
import type { InformerEvent } from '@/server/kube/informer';
import type { Connectivity, InformerRegistry } from '@/server/kube/registry';
import { StreamHub } from './hub';
import { sseResponse, streamSource } from './sse';
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
  const emit = (name: string, rv: number, pad = '') => {
    const object = {
      kind: 'Rollout',
      metadata: { name, namespace: 'demo', resourceVersion: String(rv), ...(pad ? { labels: { pad } } : {}) },
    };
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
    const s = sseReader(sseResponse(streamSource(hub), { filter: {}, heartbeatMs: 30, signal: ctl.signal }));
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

describe('sseResponse: a slow reader', () => {
  it('queues at most maxQueuedBytes past its snapshot, then ends with `overflow` and stops taking events', async () => {
    const f = fakeRegistry();
    const hub = new StreamHub(f.reg);
    let closes = 0;
    const res = sseResponse(streamSource(hub), {
      filter: {},
      maxQueuedBytes: 64 * 1024,
      onClose: () => closes++,
    });
    expect(hub.clients).toBe(1);
    // 100 events of ~10 KB while nobody reads: 1 MB offered.
    for (let i = 1; i <= 100; i++) f.emit('big', i, 'x'.repeat(10_000));
    expect(hub.clients).toBe(0); // unsubscribed at the overflow
    const s = sseReader(res);
    const all = await s.until((m) => m.event === 'overflow');
    const text = JSON.stringify(all);
    expect(text.length).toBeLessThan(64 * 1024 + 64 * 1024 + 20_000);
    expect(all.filter((m) => m.event === 'rollout').length).toBeLessThan(15);
    expect(all.at(-1)?.data.object).toMatchObject({ maxQueuedBytes: 65536 });
    await s.until(() => false, 2000).catch(() => undefined);
    expect(s.ended).toBe(true);
    expect(closes).toBe(1);
    hub.close();
  });

  it('drops a stream whose client reads nothing even after the overflow, with its queue', async () => {
    const f = fakeRegistry();
    const hub = new StreamHub(f.reg);
    let closes = 0;
    const res = sseResponse(streamSource(hub), {
      filter: {},
      maxQueuedBytes: 64 * 1024,
      drainMs: 50,
      onClose: () => closes++,
    });
    for (let i = 1; i <= 20; i++) f.emit('big', i, 'x'.repeat(10_000));
    const reader = res.body?.getReader();
    for (const end = Date.now() + 5000; closes === 0 && Date.now() < end; )
      await new Promise((r) => setTimeout(r, 20));
    expect(closes).toBe(1);
    await expect(reader?.read()).rejects.toThrow(/live stream dropped: its client read nothing/);
    hub.close();
  });
});

describe('sseResponse: a session that ends while its stream is open', () => {
  it('asks at each heartbeat and ends the stream with a `session` event once the session is gone', async () => {
    const f = fakeRegistry();
    const hub = new StreamHub(f.reg);
    let valid = true;
    let asked = 0;
    let closes = 0;
    const s = sseReader(
      sseResponse(streamSource(hub), {
        filter: {},
        heartbeatMs: 30,
        stillAllowed: async () => {
          asked++;
          return valid;
        },
        onClose: () => closes++,
      }),
    );
    await s.until((m) => m.event === 'snapshot' && m.data.type === 'END');
    await s.until(() => asked >= 2, 2000);
    expect(hub.clients).toBe(1); // still valid: the stream goes on
    valid = false; // signed out / revoked elsewhere
    const got = await s.until((m) => m.event === 'session', 2000);
    expect(got.at(-1)?.data).toMatchObject({ type: 'ENDED' });
    await s.until(() => false, 1000).catch(() => undefined);
    expect(s.ended).toBe(true);
    expect(hub.clients).toBe(0);
    expect(closes).toBe(1);
    hub.close();
  });
});

describe('sseResponse: heartbeats of streams opened together', () => {
  it('beats each stream at its own phase of the period, so their session checks never come as one burst', async () => {
    vi.useFakeTimers();
    try {
      const f = fakeRegistry();
      const hub = new StreamHub(f.reg);
      // The phase each stream draws: ten streams spread over the period.
      const phases = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
      let drawn = 0;
      vi.spyOn(Math, 'random').mockImplementation(() => phases[drawn++ % phases.length] ?? 0);
      const asked: number[] = [];
      const ctl = new AbortController();
      for (let i = 0; i < 10; i++)
        sseResponse(streamSource(hub), {
          filter: {},
          heartbeatMs: 1000,
          signal: ctl.signal,
          stillAllowed: async () => {
            asked.push(i);
            return true;
          },
        });
      await vi.advanceTimersByTimeAsync(500);
      expect(asked).toEqual([0, 1, 2, 3, 4]); // half the streams within the first half period, not all at its end
      await vi.advanceTimersByTimeAsync(500);
      expect(asked).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(asked).toHaveLength(20); // then once a period each
      ctl.abort();
      await vi.advanceTimersByTimeAsync(5000);
      expect(asked).toHaveLength(20); // an ended stream beats no more
      expect(hub.clients).toBe(0);
      hub.close();
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });
});
