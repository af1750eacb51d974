import 'server-only';
import type { Role } from '@/lib/auth/roles';
import { forRole } from '@/lib/redaction/redact-object';
import type { Rollout } from '@/lib/rollout/kube-types';
import { matches, type StreamFilter } from './filter';
import { connectivityObject, type StreamEvent, type StreamHub, type StreamKind } from './hub';
import { type PageDelta, RolloutPages } from './rollout-pages';
import { RolloutSummaries } from './rollout-summaries';

export interface SseOptions {
  filter: StreamFilter;
  /**
   * `view` (with a namespace and rollout): the rollout page as the server projects it (`page` events: a SNAPSHOT,
   * then DELTAs) instead of the raw objects; `summary`: the overview's rows (`summary` events, rollout-summaries.ts);
   * default `raw`.
   */
  shape?: 'raw' | 'view' | 'summary';
  lastEventId?: string | null;
  heartbeatMs?: number;
  signal?: AbortSignal;
  /** Who reads: admins get the raw objects, everyone else the redacted ones (lib/redaction/redact-object.ts). */
  role?: Role | null;
  /**
   * Bytes this stream may queue beyond its snapshot for a client that reads slower than events come. Past it the
   * stream stops taking events, ends with an `overflow` event (the client resyncs from a fresh snapshot) and, when
   * the client does not read even that within `drainMs`, is dropped with its queue.
   */
  maxQueuedBytes?: number;
  drainMs?: number;
  /**
   * Asked at every heartbeat: is the reader's session still valid, with the same role? When not (signed out,
   * revoked, expired, role changed) the stream ends with a `session` event, so a revoked session stops reading at
   * once instead of at its next reconnect.
   */
  stillAllowed?: () => Promise<boolean>;
  /** Called once when the stream ends, however it ends (the route gives back its slot). */
  onClose?: () => void;
}

export const DEFAULT_QUEUE_BYTES = 1024 * 1024;
/** What the stream keeps ready for the response writer before it counts as queued ("backpressure"). */
const HIGH_WATER_BYTES = 64 * 1024;

/** One SSE message: `id` (optional), `event`, `data` (JSON on one line). */
export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const encoder = new TextEncoder();
const sseBytes = (event: string, data: unknown, id?: number): Uint8Array =>
  encoder.encode(sseMessage(event, data, id));

// Each live event is serialised and encoded once per audience, however many streams carry it: the streams share the
// bytes (a chunk is only read, never changed, on its way to each socket).
const rawBytes = new WeakMap<StreamEvent, Uint8Array>();
const redactedBytes = new WeakMap<StreamEvent, Uint8Array>();
function eventMessage(e: StreamEvent, role: Role | null | undefined): Uint8Array {
  const memo = role === 'admin' ? rawBytes : redactedBytes;
  let bytes = memo.get(e);
  if (bytes === undefined) {
    bytes = sseBytes(e.kind, { type: e.type, object: forRole(e.object, role) }, e.seq);
    memo.set(e, bytes);
  }
  return bytes;
}

// Each page or summary delta is serialised and encoded once, however many streams carry it.
const deltaBytes = new WeakMap<object, Uint8Array>();
function deltaMessage(d: PageDelta | { rev: number }, event = 'page'): Uint8Array {
  let bytes = deltaBytes.get(d);
  if (bytes === undefined) {
    bytes = sseBytes(event, d, d.rev);
    deltaBytes.set(d, bytes);
  }
  return bytes;
}
// A SNAPSHOT (a page's, or the overview's rows) is serialised and encoded once per revision (a new revision is a new
// object), however many streams open or reconnect at it: each stream sends its own id line, then the shared bytes.
const snapshotBytes = new WeakMap<object, Uint8Array>();
function snapshotMessage(event: string, of: object, data: () => unknown, id: number): Uint8Array[] {
  let body = snapshotBytes.get(of);
  if (body === undefined) {
    body = encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data())}\n\n`);
    snapshotBytes.set(of, body);
  }
  return [encoder.encode(`id: ${id}\n`), body];
}
const HEARTBEAT = encoder.encode(': heartbeat\n\n');

/** What a stream reads: a context's hub and its projections, each shared by every stream of the context. */
export interface StreamSource {
  hub: StreamHub;
  pages: RolloutPages;
  summaries: RolloutSummaries;
}

/** A source over `hub` with projections of its own (tests; the server's come from its runtime's context). */
export const streamSource = (hub: StreamHub): StreamSource => ({
  hub,
  pages: new RolloutPages(hub),
  summaries: new RolloutSummaries(hub),
});

/**
 * A browser's event stream: on a fresh connection a snapshot (`snapshot` BEGIN, the matching objects as ADDED,
 * `snapshot` END carrying the id to resume from, then `status`); with a Last-Event-ID the ring still holds, the events
 * missed since. Then live events as they happen, and a heartbeat comment every 15 s (at the stream's own phase of
 * the period: streams opened together do not beat, and check their sessions, together). Objects are redacted for
 * non-admins; the queue is bounded in bytes (see `maxQueuedBytes`). With `shape: 'view'` the rollout page instead: a
 * `page` SNAPSHOT (UNCHANGED on a resume when the page has not changed since the id), `status`, then `page` DELTAs,
 * each computed once for every stream that shows the page (rollout-pages.ts).
 */
export function sseResponse(source: StreamSource, opts: SseOptions): Response {
  const { hub } = source;
  const lookup = (ns: string, name: string) => hub.registry.get('rollout', ns, name) as Rollout | undefined;
  const wanted = (kind: StreamKind, e: StreamEvent['object']) =>
    kind === 'status' || ('metadata' in e && matches(opts.filter, kind, e, lookup));
  const maxQueued = opts.maxQueuedBytes ?? DEFAULT_QUEUE_BYTES;
  let cleanup = () => {};
  let overflowed = false;
  let finish = () => {};
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        // Until the snapshot is queued there is no bound; then the bound is what it left queued plus maxQueued.
        let limit = Number.POSITIVE_INFINITY;
        const queued = () => HIGH_WATER_BYTES - (controller.desiredSize ?? 0);
        const send = (chunk: Uint8Array) => {
          if (closed || overflowed) return;
          controller.enqueue(chunk);
          if (queued() > limit) overflow();
        };
        const { namespace, rollout } = opts.filter;
        const view = opts.shape === 'view' && namespace && rollout ? { namespace, rollout } : undefined;
        const summary = opts.shape === 'summary';
        const offHub = hub.subscribe((e) => {
          if (view || summary ? e.kind === 'status' : wanted(e.kind, e.object))
            send(eventMessage(e, opts.role));
        });
        // The rollout page: its projection is shared with every other stream that shows it.
        const page = view && source.pages.open(view.namespace, view.rollout, (d) => send(deltaMessage(d)));
        const last = opts.lastEventId ? Number(opts.lastEventId) : undefined;
        // The overview's rows: one projection for every overview stream of the hub.
        const rows = summary
          ? source.summaries.open(last, (d) => send(deltaMessage(d, 'summary')))
          : undefined;
        const off = () => {
          offHub();
          page?.off();
          rows?.off();
        };
        const beat = () => {
          send(HEARTBEAT);
          void opts
            .stillAllowed?.()
            .catch(() => false)
            .then((ok) => {
              if (ok !== false || closed) return;
              send(
                sseBytes('session', {
                  type: 'ENDED',
                  object: { message: 'your session ended: sign in again' },
                }),
              );
              finish();
            });
        };
        // Streams opened together would beat (and check their sessions) together, a burst that holds up every live
        // event behind it: each stream beats at its own phase within the period.
        const every = opts.heartbeatMs ?? 15_000;
        let heartbeat: NodeJS.Timeout = setTimeout(() => {
          beat();
          heartbeat = setInterval(beat, every);
        }, Math.random() * every);
        let drainTimer: NodeJS.Timeout | undefined;
        const stopFeeding = () => {
          off();
          clearTimeout(heartbeat); // the first beat's timeout or the interval after it
        };
        cleanup = () => {
          stopFeeding();
          clearTimeout(drainTimer);
          if (!closed) {
            closed = true;
            opts.onClose?.();
          }
        };
        finish = () => {
          if (closed) return;
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        const overflow = () => {
          overflowed = true;
          stopFeeding();
          const bytes = queued();
          controller.enqueue(
            sseBytes('overflow', {
              type: 'OVERFLOW',
              object: {
                queuedBytes: bytes,
                maxQueuedBytes: maxQueued,
                message: 'this stream fell behind and was closed: reconnect for a fresh snapshot',
              },
            }),
          );
          // A client that does not read even now loses the stream and its queue.
          drainTimer = setTimeout(() => {
            if (closed) return;
            cleanup();
            controller.error(
              new Error(`live stream dropped: its client read nothing of ${bytes} queued bytes`),
            );
          }, opts.drainMs ?? 30_000);
        };
        if (opts.signal?.aborted) {
          finish();
          return;
        }
        opts.signal?.addEventListener('abort', finish, { once: true });
        send(encoder.encode('retry: 3000\n\n'));
        // Everything below runs in one tick: no live event can slip between the snapshot and the subscription.
        const missed = last === undefined || view || summary ? undefined : hub.since(last);
        if (rows) {
          for (const m of rows.first) {
            if (m.type === 'DELTA') send(deltaMessage(m, 'summary'));
            else if (m.type === 'SNAPSHOT')
              for (const b of snapshotMessage('summary', m, () => m, hub.currentSeq)) send(b);
            else send(sseBytes('summary', m, hub.currentSeq));
          }
          send(
            sseBytes('status', { type: 'STATUS', object: connectivityObject(hub.registry.connectivity()) }),
          );
        } else if (page) {
          const key = `${namespace}/${rollout}`;
          // A resumed page that has not changed since its last event only learns the revision it is at.
          const fresh = last === undefined || last > hub.currentSeq || page.rev > last;
          if (fresh)
            for (const b of snapshotMessage(
              'page',
              page.page,
              () => ({ type: 'SNAPSHOT', key, rev: page.rev, page: page.page }),
              hub.currentSeq,
            ))
              send(b);
          else send(sseBytes('page', { type: 'UNCHANGED', key, rev: page.rev }, hub.currentSeq));
          send(
            sseBytes('status', { type: 'STATUS', object: connectivityObject(hub.registry.connectivity()) }),
          );
        } else if (missed) {
          for (const e of missed) if (wanted(e.kind, e.object)) send(eventMessage(e, opts.role));
        } else {
          send(sseBytes('snapshot', { type: 'BEGIN', object: { resumed: last !== undefined } }));
          let count = 0;
          for (const { kind, object } of hub.objects()) {
            if (!matches(opts.filter, kind, object, lookup)) continue;
            count++;
            send(sseBytes(kind, { type: 'ADDED', object: forRole(object, opts.role) }));
          }
          send(sseBytes('snapshot', { type: 'END', object: { count } }, hub.currentSeq));
          send(
            sseBytes('status', { type: 'STATUS', object: connectivityObject(hub.registry.connectivity()) }),
          );
        }
        limit = Math.max(0, queued()) + maxQueued;
      },
      pull() {
        // The client has read the queue down after an overflow: end the stream (the `overflow` event went out).
        if (overflowed) finish();
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
