import { EventStreamConnection } from './event-stream';
import { initialLiveState, LIVE_KINDS, type LiveMessage, type LiveState, reduceAll } from './live-state';
import { nextFrame } from './next-frame';

export interface StreamFilter {
  /** The kube context (omitted: the default one). */
  context?: string;
  namespace?: string;
  rollout?: string;
  /** `view`: the rollout page as the server projects it (needs namespace and rollout). */
  shape?: 'view';
}

/** The stream URL of a page (`lastEventId` resumes after a pause: EventSource cannot set the header itself). */
export function streamUrl(filter: StreamFilter, lastEventId?: string | null): string {
  const q = new URLSearchParams();
  if (filter.context) q.set('context', filter.context);
  if (filter.namespace) q.set('namespace', filter.namespace);
  if (filter.rollout) q.set('rollout', filter.rollout);
  if (filter.shape) q.set('shape', filter.shape);
  if (lastEventId) q.set('lastEventId', lastEventId);
  const s = q.toString();
  return `/api/v1/stream${s ? `?${s}` : ''}`;
}

/**
 * One SSE connection (event-stream.ts) and the state the reducer builds from it, for `useSyncExternalStore`. Messages
 * are queued and applied once per animation frame, so a snapshot of hundreds of objects renders once.
 */
export class LiveStore {
  private state: LiveState = initialLiveState();
  private readonly listeners = new Set<() => void>();
  private queue: LiveMessage[] = [];
  private flushScheduled = false;
  private readonly connection: EventStreamConnection;

  constructor(filter: StreamFilter) {
    this.connection = new EventStreamConnection({
      url: (fresh) => streamUrl(filter, fresh ? null : this.state.lastEventId),
      events: [...LIVE_KINDS, 'snapshot', 'status'],
      onMessage: (event, data, id) => this.dispatch({ type: 'message', event, data, id }),
      onOpen: () => this.dispatch({ type: 'open' }),
      onError: () => this.dispatch({ type: 'error' }),
    });
  }

  getSnapshot = (): LiveState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    this.connection.start();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.connection.stop();
    };
  };

  /** Feeds a message through the reducer (the EventSource handlers call this; tests may too). */
  dispatch(msg: LiveMessage): void {
    this.queue.push(msg);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    nextFrame(() => this.flush());
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
}
