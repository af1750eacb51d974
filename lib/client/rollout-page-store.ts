import type { QueryClient } from '@tanstack/react-query';
import { applyPagePatch, type RolloutPage, type RolloutPageMessage } from '@/lib/rollout/page-patch';
import type { RolloutView } from '@/lib/rollout/rollout-view';
import { EventStreamConnection } from './event-stream';
import { type LiveState, statusConnectivity } from './live-state';
import { inPageFrame } from './page-frame';
import { parsePageMessage } from './page-message';
import { streamUrl } from './stream-url';
import { timelineQueryKey } from './timeline-key';

/** Which rollout page: its kube context (omitted: the default one), namespace and name. */
export interface PageWhere {
  context?: string;
  namespace: string;
  name: string;
}

/** The page's connection as the indicator and banner show it. */
export type PageLink = Pick<LiveState, 'connection' | 'kube' | 'synced'>;

export const pageQueryKey = (w: PageWhere) => ['rollout-page', w.context ?? '', w.namespace, w.name] as const;
export const linkQueryKey = (w: PageWhere) =>
  ['rollout-page-link', w.context ?? '', w.namespace, w.name] as const;

export const initialLink: PageLink = { connection: 'connecting', kube: null, synced: false };

/** The page before the stream's snapshot: the server-rendered view, nothing streamed yet. */
export const initialPage = (view: RolloutView | null): RolloutPage => ({
  view,
  events: [],
  faults: {},
  runsVersion: '',
  recent: [],
});

/** Where a page is after some messages; `resync`: a revision was missed, start over from a fresh snapshot. */
export interface PageProgress {
  page: RolloutPage | undefined;
  rev: number | null;
  resync: boolean;
}

/** Applies page messages in order (pure): a SNAPSHOT replaces, a DELTA applies on the revision it was made from. */
export function reducePage(
  page: RolloutPage | undefined,
  rev: number | null,
  msgs: readonly RolloutPageMessage[],
) {
  let at: PageProgress = { page, rev, resync: false };
  for (const m of msgs) {
    if (m.type === 'SNAPSHOT') at = { page: m.page, rev: m.rev, resync: false };
    else if (at.rev === null || !at.page || (m.type === 'DELTA' && m.base !== at.rev))
      return { ...at, resync: true };
    else if (m.type === 'UNCHANGED') at = { ...at, rev: m.rev };
    else at = { page: applyPagePatch(at.page, m.patch), rev: m.rev, resync: false };
  }
  return at;
}

/**
 * A rollout page's live stream (`shape=view`) into the query cache: page messages are queued and applied together
 * once they settled (`inPageFrame`: one render per burst), and the cache's structural sharing keeps every unchanged part of the page (and each panel's
 * selection of it) the same object, so only the panels a change touches render again.
 */
export class RolloutPageStore {
  private queue: Array<{ event: string; data: unknown; id: string | null }> = [];
  private rev: number | null = null;
  private lastEventId: string | null = null;
  private link: PageLink = initialLink;
  private flushScheduled = false;
  private running = false;
  private readonly connection: EventStreamConnection;

  constructor(
    private readonly client: QueryClient,
    private readonly where: PageWhere,
  ) {
    this.connection = new EventStreamConnection({
      url: (fresh) =>
        streamUrl(
          { context: where.context, namespace: where.namespace, rollout: where.name, shape: 'view' },
          fresh ? null : this.lastEventId,
        ),
      events: ['page', 'status'],
      onMessage: (event, data, id) => this.receive(event, data, id),
      onOpen: () => this.setLink({ connection: 'live' }),
      onError: () => this.setLink({ connection: 'offline' }),
    });
  }

  start(): void {
    this.running = true;
    this.connection.start();
  }

  /** Closes the stream; what it queued is dropped (the page is closing, and a later start resumes by event id). */
  stop(): void {
    this.running = false;
    this.queue = [];
    this.connection.stop();
  }

  /** One SSE message (the connection calls this; tests may too). */
  receive(event: string, data: unknown, id: string | null): void {
    if (!this.running) return;
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
    if (queued.length === 0 || !this.running) return;
    const msgs: RolloutPageMessage[] = [];
    for (const q of queued) {
      if (q.id) this.lastEventId = q.id;
      if (q.event === 'status') {
        const kube = statusConnectivity(q.data);
        if (kube) this.setLink({ kube });
        continue;
      }
      const msg = parsePageMessage(q.data);
      if (msg) msgs.push(msg);
    }
    if (msgs.length === 0) return;
    const key = pageQueryKey(this.where);
    const at = reducePage(this.client.getQueryData<RolloutPage>(key), this.rev, msgs);
    this.rev = at.rev;
    if (at.page && at.rev !== null) {
      this.client.setQueryData(key, at.page);
      this.setLink({ synced: true });
      // A snapshot's projection may be new (a reconnect, another replica): it derived nothing of what happened while
      // the page was away, so the stored timeline is read again (a read under way is kept; none before the first).
      if (msgs.some((m) => m.type === 'SNAPSHOT')) {
        const { context, namespace, name } = this.where;
        const queryKey = timelineQueryKey(context, namespace, name);
        void this.client.refetchQueries({ queryKey, exact: true }, { cancelRefetch: false });
      }
    }
    if (at.resync) {
      this.rev = null;
      this.lastEventId = null;
      this.connection.resync();
    }
  }

  private setLink(patch: Partial<PageLink>): void {
    const next = { ...this.link, ...patch };
    if (
      next.connection === this.link.connection &&
      next.synced === this.link.synced &&
      JSON.stringify(next.kube) === JSON.stringify(this.link.kube)
    )
      return;
    this.link = next;
    this.client.setQueryData(linkQueryKey(this.where), next);
  }
}
