import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStore } from './live-store';

// Node has neither EventSource nor document: this stand-in records the URLs opened and lets the test deliver what a
// server sends (the real stream's overflow and 429 are exercised against the server in e2e/attacks/09-streams.spec.ts).
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<
    string,
    Array<(ev: { type: string; data: string; lastEventId: string }) => void>
  >();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, fn: (ev: { type: string; data: string; lastEventId: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, data: unknown, id = '') {
    for (const fn of this.listeners.get(type) ?? [])
      fn({ type, data: JSON.stringify(data), lastEventId: id });
  }
}

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
