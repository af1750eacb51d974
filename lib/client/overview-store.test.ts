import { describe, expect, it, vi } from 'vitest';
import { row } from '@/lib/overview/testing/rows';
import { OverviewStore } from './overview-store';
import { SETTLE_MS } from './page-frame';
import { FakeEventSource, fakeBrowserStreams } from './testing/fake-event-source';

/** Long enough for queued messages to be applied (they settle, then wait for a frame). */
const APPLIED = SETTLE_MS + 20;

fakeBrowserStreams();

function started(context?: string, tag?: string) {
  const store = new OverviewStore(context, tag);
  let woken = 0;
  const off = store.subscribe(() => woken++);
  const es = FakeEventSource.opened.at(-1) as FakeEventSource;
  return { store, es, off, woken: () => woken };
}

const a = row('ns1', 'a');
const b = row('ns1', 'b');

describe('OverviewStore', () => {
  it('opens the summary stream, shows the snapshot, and replaces only the row a delta carries', () => {
    const { store, es, off, woken } = started();
    expect(es.url).toBe('/api/v1/stream?shape=summary');
    es.emit('summary', { type: 'SNAPSHOT', rev: 10, rows: [a, b] }, '12');
    es.emit('status', { type: 'STATUS', object: { connected: true, synced: true, lastError: null } });
    vi.advanceTimersByTime(APPLIED);
    const first = store.getSnapshot();
    expect(first).toMatchObject({ synced: true, connection: 'live', kube: { connected: true } });
    expect(first.rows.map((r) => r.name)).toEqual(['a', 'b']);
    const wokenBefore = woken();

    es.emit(
      'summary',
      { type: 'DELTA', rev: 13, base: 10, upsert: [{ ...b, phase: 'Paused' }], remove: [] },
      '13',
    );
    vi.advanceTimersByTime(APPLIED);
    const next = store.getSnapshot();
    expect(woken()).toBe(wokenBefore + 1);
    expect(next.rows[0]).toBe(first.rows[0]);
    expect(next.rows[1]?.phase).toBe('Paused');

    // Nothing new: no wake-up, the same state.
    es.emit('status', { type: 'STATUS', object: { connected: true, synced: true, lastError: null } });
    vi.advanceTimersByTime(APPLIED);
    expect(store.getSnapshot()).toBe(next);
    expect(woken()).toBe(wokenBefore + 1);
    off();
  });

  it('stays offline when the connection drops in the frame its last messages arrived in', () => {
    const { store, es, off } = started();
    es.emit('summary', { type: 'SNAPSHOT', rev: 10, rows: [a, b] }, '12');
    es.emit('status', { type: 'STATUS', object: { connected: true, synced: true, lastError: null } });
    es.onerror?.();
    vi.advanceTimersByTime(APPLIED);
    // The rows that came are shown; the indicator does not say live over a dropped connection.
    expect(store.getSnapshot()).toMatchObject({ synced: true, connection: 'offline' });
    expect(store.getSnapshot().rows).toHaveLength(2);
    off();
  });

  it('resumes with the last event id applied, tags rows with the context, and starts over after a missed revision', () => {
    const { store, es, off } = started('prod', 'prod');
    expect(es.url).toBe('/api/v1/stream?context=prod&shape=summary');
    es.emit('summary', { type: 'SNAPSHOT', rev: 10, rows: [a] }, '11');
    vi.advanceTimersByTime(APPLIED);
    expect(store.getSnapshot().rows[0]?.context).toBe('prod');
    off();
    const off2 = store.subscribe(() => undefined);
    const again = FakeEventSource.opened.at(-1) as FakeEventSource;
    expect(again.url).toBe('/api/v1/stream?context=prod&shape=summary&lastEventId=11');
    again.emit('summary', { type: 'DELTA', rev: 20, base: 15, upsert: [b], remove: [] }, '20');
    vi.advanceTimersByTime(APPLIED);
    expect(again.readyState).toBe(FakeEventSource.CLOSED);
    expect(store.getSnapshot().rows.map((r) => r.name)).toEqual(['a']); // shown until the fresh snapshot
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.opened.at(-1)?.url).toBe('/api/v1/stream?context=prod&shape=summary');
    off2();
  });

  it('drops a message whose shape is not a summary message', () => {
    const { store, es, off } = started();
    es.emit('summary', { type: 'SNAPSHOT', rev: 'x', rows: [a] }, '1');
    es.emit(
      'summary',
      { type: 'DELTA', rev: 2, base: 1, upsert: [{ name: 'no-namespace' }], remove: [] },
      '2',
    );
    vi.advanceTimersByTime(APPLIED);
    expect(store.getSnapshot().synced).toBe(false);
    off();
  });
});
