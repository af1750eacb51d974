import { initialLiveState, LIVE_KINDS, type LiveMessage, type LiveState, reduceAll } from './live-state';

export interface StreamFilter {
  /** The kube context (omitted: the default one). */
  context?: string;
  namespace?: string;
  rollout?: string;
}

/** The stream URL of a page (`lastEventId` resumes after a pause: EventSource cannot set the header itself). */
export function streamUrl(filter: StreamFilter, lastEventId?: string | null): string {
  const q = new URLSearchParams();
  if (filter.context) q.set('context', filter.context);
  if (filter.namespace) q.set('namespace', filter.namespace);
  if (filter.rollout) q.set('rollout', filter.rollout);
  if (lastEventId) q.set('lastEventId', lastEventId);
  const s = q.toString();
  return `/api/v1/stream${s ? `?${s}` : ''}`;
}

/**
 * One SSE connection and the state the reducer builds from it, for `useSyncExternalStore`. Messages are queued and
 * applied once per animation frame, so a snapshot of hundreds of objects renders once. The connection closes while
 * the tab is hidden and resumes with the last event id when it is shown again.
 */
export class LiveStore {
  private state: LiveState = initialLiveState();
  private readonly listeners = new Set<() => void>();
  private queue: LiveMessage[] = [];
  private flushScheduled = false;
  private source: EventSource | null = null;
  private started = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;

  constructor(private readonly filter: StreamFilter) {}

  getSnapshot = (): LiveState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    if (!this.started) this.start();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
  };

  /** Feeds a message through the reducer (the EventSource handlers call this; tests may too). */
  dispatch(msg: LiveMessage): void {
    this.queue.push(msg);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => this.flush();
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible')
      requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  flush(): void {
    this.flushScheduled = false;
    const msgs = this.queue;
    this.queue = [];
    const next = reduceAll(this.state, msgs);
    if (next === this.state) return;
    this.state = next;
    for (const fn of this.listeners) fn();
  }

  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') this.close();
    else if (!this.source) this.open();
  };

  private start(): void {
    this.started = true;
    if (typeof window === 'undefined') return;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.open();
  }

  private stop(): void {
    this.started = false;
    if (typeof window === 'undefined') return;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.close();
  }

  /** `fresh`: without the last event id, so the server sends a whole new snapshot. */
  private open(fresh = false): void {
    const es = new EventSource(streamUrl(this.filter, fresh ? null : this.state.lastEventId));
    this.source = es;
    es.onopen = () => {
      this.retries = 0;
      this.dispatch({ type: 'open' });
    };
    // EventSource reconnects by itself (retry: 3000) and sends Last-Event-ID; we only show that it is down. A refused
    // connection (429: too many streams; 401) makes it give up for good: then we retry later ourselves.
    es.onerror = () => {
      this.dispatch({ type: 'error' });
      if (es.readyState === EventSource.CLOSED && this.source === es) this.reopenLater(false);
    };
    // The server closes a stream that fell behind (its queue bound): start over from a fresh snapshot.
    es.addEventListener('overflow', () => {
      if (this.source !== es) return;
      this.dispatch({ type: 'error' });
      this.reopenLater(true);
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
      this.dispatch({ type: 'message', event: ev.type, data, id: ev.lastEventId || null });
    };
    for (const kind of [...LIVE_KINDS, 'snapshot', 'status']) es.addEventListener(kind, handler);
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
