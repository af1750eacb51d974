import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStore } from './live-store';
import { FakeEventSource } from './testing/fake-event-source';

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('window', {});
  vi.stubGlobal('document', {
    visibilityState: 'visible',
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('LiveStore and a stream the server ends', () => {
  it('after `overflow` it closes the stream and resyncs from a fresh snapshot (no Last-Event-ID)', () => {
    const store = new LiveStore({ namespace: 'demo' });
    const off = store.subscribe(() => undefined);
    const first = FakeEventSource.opened[0] as FakeEventSource;
    first.readyState = FakeEventSource.OPEN;
    first.emit('snapshot', { type: 'END', object: { count: 0 } }, '42');
    vi.advanceTimersByTime(20);
    expect(store.getSnapshot().lastEventId).toBe('42');
    first.emit('overflow', { type: 'OVERFLOW', object: {} });
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual([
      '/api/v1/stream?namespace=demo',
      '/api/v1/stream?namespace=demo',
    ]);
    off();
  });

  it('a refused stream (429: EventSource gives up) is opened again later, with a growing delay', () => {
    const store = new LiveStore({});
    const off = store.subscribe(() => undefined);
    for (let i = 0; i < 3; i++) {
      const es = FakeEventSource.opened[i] as FakeEventSource;
      es.readyState = FakeEventSource.CLOSED;
      es.onerror?.();
      vi.advanceTimersByTime(1000 * 2 ** i - 1);
      expect(FakeEventSource.opened.length).toBe(i + 1);
      vi.advanceTimersByTime(1);
      expect(FakeEventSource.opened.length).toBe(i + 2);
    }
    off();
    const last = FakeEventSource.opened.at(-1) as FakeEventSource;
    expect(last.readyState).toBe(FakeEventSource.CLOSED);
  });
});
