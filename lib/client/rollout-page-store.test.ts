import { type QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { type RolloutPage, rolloutPage } from '@/lib/rollout/rollout-page';
import { loadFixtures } from '@/lib/rollout/testdata/load-fixtures';
import { SETTLE_MS } from './page-frame';
import { pageSlice } from './page-slice';
import { makeQueryClient } from './query-client';
import { initialPage, linkQueryKey, pageQueryKey, RolloutPageStore } from './rollout-page-store';
import { FakeEventSource, fakeBrowserStreams } from './testing/fake-event-source';
import { timelineQueryKey } from './timeline-key';

/** Long enough for queued messages to be applied (they settle, then wait for a frame). */
const APPLIED = SETTLE_MS + 20;

const f = loadFixtures().find((x) => x.file === 'analysis-running.yaml');
if (!f) throw new Error('fixture missing');
const fixture = f;
const page: RolloutPage = rolloutPage(
  fixture.rollout,
  (kind, ns) =>
    (
      (
        ({
          replicaset: fixture.ctx.replicaSets,
          analysisrun: fixture.ctx.analysisRuns,
          pod: fixture.ctx.pods,
        }) as Record<string, { metadata?: { namespace?: string } }[]>
      )[kind] ?? []
    ).filter((o) => (o.metadata?.namespace ?? 'demo') === ns),
  'demo',
  'webapp',
);
const where = { namespace: 'demo', name: 'webapp' };

fakeBrowserStreams();

/** The page's entry kept alive as the page's scope keeps it (useLivePageEntry): one observer that renders nothing. */
function keepEntry(client: QueryClient) {
  const obs = new QueryObserver(client, {
    queryKey: pageQueryKey(where),
    enabled: false,
    initialData: initialPage(null),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    notifyOnChangeProps: [],
  });
  return obs.subscribe(() => undefined);
}

/** A panel's subscription to a slice of the page (as usePageSlice): records each new selection, as a render. */
function panel<T>(client: QueryClient, select: (p: RolloutPage) => T) {
  const keep = keepEntry(client);
  const slice = pageSlice(client, where, initialPage(null), select);
  const seen: T[] = [];
  let last = slice.get();
  const unsubscribe = slice.subscribe(() => {
    const now = slice.get();
    if (now !== last) seen.push(now);
    last = now;
  });
  const off = () => {
    unsubscribe();
    keep();
  };
  return { seen, off, current: () => slice.get() };
}

function started(client: QueryClient) {
  const store = new RolloutPageStore(client, where);
  store.start();
  const es = FakeEventSource.opened.at(-1) as FakeEventSource;
  return { store, es };
}

describe('RolloutPageStore', () => {
  it('puts the snapshot in the cache, applies a delta, and wakes only the panels whose slice changed', () => {
    const client = makeQueryClient();
    const pods = panel(client, (p) => p.view?.pods);
    const steps = panel(client, (p) => p.view?.steps);
    const { store, es } = started(client);
    expect(es.url).toBe('/api/v1/stream?namespace=demo&rollout=webapp&shape=view');
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 10, page }, '10');
    vi.advanceTimersByTime(APPLIED);
    expect(steps.current()).toEqual(page.view?.steps);
    const stepsSeen = steps.seen.length;
    const stepsBefore = steps.current();
    const podsSeen = pods.seen.length;

    const patch = { view: { pods: { total: 9, ready: 8 }, resourceVersion: '77' } };
    es.emit('page', { type: 'DELTA', key: 'demo/webapp', rev: 11, base: 10, patch }, '11');
    vi.advanceTimersByTime(APPLIED);
    expect(client.getQueryData<RolloutPage>(pageQueryKey(where))?.view?.resourceVersion).toBe('77');
    expect(pods.current()).toEqual({ total: 9, ready: 8 });
    expect(pods.seen.length).toBeGreaterThan(podsSeen);
    expect(steps.seen.length).toBe(stepsSeen); // the steps panel is not woken
    expect(steps.current()).toBe(stepsBefore);
    store.stop();
    pods.off();
    steps.off();
  });

  it('reads the stored timeline again on a snapshot (a reconnect), not on a delta', async () => {
    const client = makeQueryClient();
    let reads = 0;
    const timeline = new QueryObserver(client, {
      queryKey: timelineQueryKey(undefined, 'demo', 'webapp'),
      queryFn: async () => ({ items: [], read: ++reads }),
      staleTime: Number.POSITIVE_INFINITY,
    });
    const off = timeline.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads).toBe(1); // the page's own first read
    const { store, es } = started(client);
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 10, page }, '10');
    await vi.advanceTimersByTimeAsync(APPLIED);
    expect(reads).toBe(2);
    const patch = {
      added: [
        {
          key: 'k',
          at: '2026-12-05T01:00:00Z',
          namespace: 'demo',
          rollout: 'webapp',
          kind: 'phase',
          source: 'controller',
          summary: 'Paused',
        },
      ],
    };
    es.emit('page', { type: 'DELTA', key: 'demo/webapp', rev: 11, base: 10, patch }, '11');
    await vi.advanceTimersByTimeAsync(APPLIED);
    expect(reads).toBe(2); // a change brings its entries: no read
    expect(client.getQueryData<RolloutPage>(pageQueryKey(where))?.recent.map((e) => e.summary)).toEqual([
      'Paused',
    ]);
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 20, page }, '20');
    await vi.advanceTimersByTimeAsync(APPLIED);
    expect(reads).toBe(3);
    store.stop();
    off();
  });

  it('applies a burst (the spec, then the status write tens of ms later) in one render, not one per message', () => {
    const client = makeQueryClient();
    const phase = panel(client, (p) => p.view?.phase);
    const { store, es } = started(client);
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 10, page }, '10');
    vi.advanceTimersByTime(APPLIED);
    const seen = phase.seen.length;
    const delta = (rev: number, phaseNow: string) => ({
      type: 'DELTA',
      key: 'demo/webapp',
      rev,
      base: rev - 1,
      patch: { view: { phase: phaseNow, resourceVersion: String(rev) } },
    });
    es.emit('page', delta(11, 'Progressing'), '11');
    vi.advanceTimersByTime(30);
    es.emit('page', delta(12, 'Paused'), '12');
    vi.advanceTimersByTime(30);
    expect(phase.seen.length).toBe(seen); // still settling
    vi.advanceTimersByTime(APPLIED);
    expect(phase.current()).toBe('Paused');
    expect(phase.seen.slice(seen)).toEqual(['Paused']); // one render, never the state in between
    store.stop();
    phase.off();
  });

  it('stays offline when the connection drops in the frame its last messages arrived in', () => {
    const client = makeQueryClient();
    const { store, es } = started(client);
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 10, page }, '10');
    es.emit('status', { type: 'STATUS', object: { connected: true, synced: true, lastError: null } });
    es.onerror?.();
    vi.advanceTimersByTime(APPLIED);
    expect(client.getQueryData(linkQueryKey(where))).toMatchObject({ synced: true, connection: 'offline' });
    store.stop();
  });

  it('starts over from a fresh snapshot when a delta was made from another revision', () => {
    const client = makeQueryClient();
    const { store, es } = started(client);
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 10, page }, '10');
    vi.advanceTimersByTime(APPLIED);
    es.emit(
      'page',
      { type: 'DELTA', key: 'demo/webapp', rev: 13, base: 12, patch: { runsVersion: 'x' } },
      '13',
    );
    vi.advanceTimersByTime(APPLIED);
    expect(client.getQueryData<RolloutPage>(pageQueryKey(where))?.runsVersion).toBe(page.runsVersion);
    expect(es.readyState).toBe(FakeEventSource.CLOSED);
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.opened.at(-1)?.url).toBe(
      '/api/v1/stream?namespace=demo&rollout=webapp&shape=view',
    );
    store.stop();
  });

  it('resumes after a pause with the last event id, and an UNCHANGED answer keeps the page and takes the revision', () => {
    const client = makeQueryClient();
    const { store, es } = started(client);
    es.emit('page', { type: 'SNAPSHOT', key: 'demo/webapp', rev: 10, page }, '10');
    es.emit('status', { type: 'STATUS', object: { connected: true, synced: true, lastError: null } }, '12');
    vi.advanceTimersByTime(APPLIED);
    store.stop();
    store.start();
    const again = FakeEventSource.opened.at(-1) as FakeEventSource;
    expect(again.url).toBe('/api/v1/stream?namespace=demo&rollout=webapp&shape=view&lastEventId=12');
    again.emit('page', { type: 'UNCHANGED', key: 'demo/webapp', rev: 30 }, '31');
    again.emit(
      'page',
      { type: 'DELTA', key: 'demo/webapp', rev: 32, base: 30, patch: { runsVersion: 'r2' } },
      '32',
    );
    vi.advanceTimersByTime(APPLIED);
    expect(client.getQueryData<RolloutPage>(pageQueryKey(where))?.runsVersion).toBe('r2');
    expect(again.readyState).not.toBe(FakeEventSource.CLOSED);
    store.stop();
  });
});
