/** What a stream connection is told and asked by the store that owns it. */
export interface EventStreamHooks {
  /** The URL to open; `fresh`: without the last event id, so the server sends a whole new snapshot. */
  url: (fresh: boolean) => string;
  /** The SSE event names to listen to (their data is JSON). */
  events: readonly string[];
  onMessage: (event: string, data: unknown, id: string | null) => void;
  onOpen: () => void;
  onError: () => void;
}

/**
 * One SSE connection of a page: EventSource's own reconnects (with Last-Event-ID) for a dropped connection, a retry
 * of ours with a growing delay when it gives up (429, 401), a fresh snapshot after the server's `overflow`, the sign-in
 * page after `session`. It closes while the tab is hidden and resumes with the last event id when shown again.
 */
export class EventStreamConnection {
  private source: EventSource | null = null;
  private started = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;

  constructor(private readonly hooks: EventStreamHooks) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    if (typeof window === 'undefined') return;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.open();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (typeof window === 'undefined') return;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.close();
  }

  /** Starts over from a fresh snapshot (the store lost track of where it is). */
  resync(): void {
    this.hooks.onError();
    this.reopenLater(true);
  }

  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') this.close();
    else if (!this.source) this.open();
  };

  private open(fresh = false): void {
    const es = new EventSource(this.hooks.url(fresh));
    this.source = es;
    es.onopen = () => {
      this.retries = 0;
      this.hooks.onOpen();
    };
    // EventSource reconnects by itself (retry: 3000) and sends Last-Event-ID; we only show that it is down. A refused
    // connection (429: too many streams; 401) makes it give up for good: then we retry later ourselves.
    es.onerror = () => {
      this.hooks.onError();
      if (es.readyState === EventSource.CLOSED && this.source === es) this.reopenLater(false);
    };
    // The server closes a stream that fell behind (its queue bound): start over from a fresh snapshot.
    es.addEventListener('overflow', () => {
      if (this.source === es) this.resync();
    });
    // The server ends the stream of a session that was signed out, revoked or expired: sign in again.
    es.addEventListener('session', () => {
      if (this.source !== es) return;
      this.close();
      const here = `${window.location.pathname}${window.location.search}`;
      window.location.assign(`/login?callbackUrl=${encodeURIComponent(here)}`);
    });
    const handler = (ev: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.hooks.onMessage(ev.type, data, ev.lastEventId || null);
    };
    for (const name of this.hooks.events) es.addEventListener(name, handler);
  }

  /** Closes the current connection and opens another after a growing delay (1 s, 2 s, 4 s ... at most 30 s). */
  private reopenLater(fresh: boolean): void {
    this.close();
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.retries, 5));
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.started && document.visibilityState !== 'hidden') this.open(fresh);
    }, delay);
  }

  private close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
  }
}
