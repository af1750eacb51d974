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

  private open(): void {
    const es = new EventSource(streamUrl(this.filter, this.state.lastEventId));
    this.source = es;
    es.onopen = () => this.dispatch({ type: 'open' });
    // EventSource reconnects by itself (retry: 3000) and sends Last-Event-ID; we only show that it is down.
    es.onerror = () => this.dispatch({ type: 'error' });
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

  private close(): void {
    this.source?.close();
    this.source = null;
  }
}
