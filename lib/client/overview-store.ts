import { z } from 'zod';
import {
  applySummaryMessages,
  emptyTable,
  type SummaryMessage,
  type SummaryTable,
} from '@/lib/overview/summary-stream';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { EventStreamConnection } from './event-stream';
import { type LiveState, statusConnectivity } from './live-state';
import { inPageFrame } from './page-frame';
import { streamUrl } from './stream-url';

/** One context's overview, as the page renders it: its rows once the snapshot came, and its connection. */
export interface OverviewState extends Pick<LiveState, 'connection' | 'kube' | 'synced'> {
  rows: RolloutSummary[];
}

export const initialOverviewState = (): OverviewState => ({
  rows: [],
  synced: false,
  connection: 'connecting',
  kube: null,
});

// The envelope is checked here; the rows inside are the server's own projection (server/stream/rollout-summaries.ts).
const rows = z.array(z.looseObject({ namespace: z.string(), name: z.string() }));
const messageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SNAPSHOT'), rev: z.number(), rows }),
  z.object({
    type: z.literal('DELTA'),
    rev: z.number(),
    base: z.number(),
    upsert: rows,
    remove: z.array(z.string()),
  }),
  z.object({ type: z.literal('UNCHANGED'), rev: z.number() }),
]);

export const parseSummaryMessage = (data: unknown): SummaryMessage | null => {
  const r = messageSchema.safeParse(data);
  // The parse checks the shape only: the rows go on as the objects that came (no copy per row).
  return r.success ? (data as SummaryMessage) : null;
};

/**
 * One kube context's overview stream (`shape=summary`): summary messages are queued and applied together once they
 * settled (`inPageFrame`: one render per burst); a delta replaces only the rows it carries (the rest keep their identity, so React skips them), and the
 * state's `rows` array is new only when a row changed. For `useSyncExternalStore`.
 */
export class OverviewStore {
  private state: OverviewState = initialOverviewState();
  private table: SummaryTable = emptyTable();
  private lastEventId: string | null = null;
  private queue: Array<{ event: string; data: unknown; id: string | null }> = [];
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  private readonly connection: EventStreamConnection;

  /** `tag`: set as every row's `context` (the control center watches several kube contexts). */
  constructor(
    context: string | undefined,
    private readonly tag?: string,
  ) {
    this.connection = new EventStreamConnection({
      url: (fresh) => streamUrl({ context, shape: 'summary' }, fresh ? null : this.lastEventId),
      events: ['summary', 'status'],
      onMessage: (event, data, id) => this.receive(event, data, id),
      onOpen: () => this.set({ connection: 'live' }),
      onError: () => this.set({ connection: 'offline' }),
    });
  }

  getSnapshot = (): OverviewState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    this.connection.start();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) {
        this.queue = [];
        this.connection.stop();
      }
    };
  };

  /** One SSE message (the connection calls this; tests may too). */
  receive(event: string, data: unknown, id: string | null): void {
    this.queue.push({ event, data, id });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    inPageFrame(() => this.flush());
  }

  /** Applies what arrived while it settled (`inPageFrame`); the resume id moves only with what was applied. */
  flush(): void {
    this.flushScheduled = false;
    const queued = this.queue;
    this.queue = [];
    const msgs: SummaryMessage[] = [];
    let patch: Partial<OverviewState> = {};
    for (const q of queued) {
      if (q.id) this.lastEventId = q.id;
      if (q.event === 'status') {
        const kube = statusConnectivity(q.data);
        if (kube) patch = { ...patch, kube };
        continue;
      }
      const msg = parseSummaryMessage(q.data);
      if (msg) msgs.push(msg);
    }
    if (msgs.length) {
      const { table, resync } = applySummaryMessages(this.table, msgs, this.tag);
      if (resync) {
        this.table = emptyTable();
        this.lastEventId = null;
        this.connection.resync();
      } else {
        this.table = table;
        if (table.rows !== this.state.rows || !this.state.synced)
          patch = { ...patch, rows: table.rows, synced: true };
      }
    }
    this.set(patch);
  }

  private set(patch: Partial<OverviewState>): void {
    const s = this.state;
    const next = { ...s, ...patch };
    if (
      next.rows === s.rows &&
      next.synced === s.synced &&
      next.connection === s.connection &&
      JSON.stringify(next.kube) === JSON.stringify(s.kube)
    )
      return;
    this.state = next;
    for (const fn of this.listeners) fn();
  }
}
