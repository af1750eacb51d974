import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Node has neither EventSource nor document: this stand-in records the URLs opened and lets the test deliver what a
 * server sends (the real stream's overflow and 429 are exercised against the server in e2e/attacks/09-streams.spec.ts).
 */
export class FakeEventSource {
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
  /** Delivers one message; the first on a connecting source opens it first, as a real one's `open` comes first. */
  emit(type: string, data: unknown, id = '') {
    if (this.readyState === FakeEventSource.CONNECTING) {
      this.readyState = FakeEventSource.OPEN;
      this.onopen?.();
    }
    for (const fn of this.listeners.get(type) ?? [])
      fn({ type, data: JSON.stringify(data), lastEventId: id });
  }
}

/**
 * Registers the hooks that give each test of the file a browser for stream stores: FakeEventSource as EventSource, a
 * visible document, and fake timers (a store applies what arrived once per frame: advance the timers to see it).
 */
export function fakeBrowserStreams(): void {
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
}
