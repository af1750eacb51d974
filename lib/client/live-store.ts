import { EventStreamConnection } from './event-stream';
import { initialLiveState, LIVE_KINDS, type LiveMessage, type LiveState, reduceAll } from './live-state';
import { nextFrame } from './next-frame';
import { type StreamFilter, streamUrl } from './stream-url';

export { type StreamFilter, streamUrl } from './stream-url';

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
