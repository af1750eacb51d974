import 'server-only';
import type { Rollout } from '@/lib/rollout/kube-types';
import { matches, type StreamFilter } from './filter';
import { connectivityObject, type StreamEvent, type StreamHub, type StreamKind } from './hub';

export interface SseOptions {
  filter: StreamFilter;
  lastEventId?: string | null;
  heartbeatMs?: number;
  signal?: AbortSignal;
  /** Close a stream whose client reads slower than this many queued bytes (it reconnects with Last-Event-ID). */
  maxQueuedBytes?: number;
}

/** One SSE message: `id` (optional), `event`, `data` (JSON on one line). */
export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const eventMessage = (e: StreamEvent) => sseMessage(e.kind, { type: e.type, object: e.object }, e.seq);

/**
 * A browser's event stream: on a fresh connection a snapshot (`snapshot` BEGIN, the matching objects as ADDED,
 * `snapshot` END carrying the id to resume from, then `status`); with a Last-Event-ID the ring still holds, the events
 * missed since. Then live events as they happen, and a heartbeat comment every 15 s.
 */
export function sseResponse(hub: StreamHub, opts: SseOptions): Response {
  const encoder = new TextEncoder();
  const lookup = (ns: string, name: string) => hub.registry.get('rollout', ns, name) as Rollout | undefined;
  const wanted = (kind: StreamKind, e: StreamEvent['object']) =>
    kind === 'status' || ('metadata' in e && matches(opts.filter, kind, e, lookup));
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(text));
        if ((controller.desiredSize ?? 0) < -(opts.maxQueuedBytes ?? 4 * 1024 * 1024)) close();
      };
      const off = hub.subscribe((e) => {
        if (wanted(e.kind, e.object)) send(eventMessage(e));
      });
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), opts.heartbeatMs ?? 15_000);
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      cleanup = () => {
        off();
        clearInterval(heartbeat);
        closed = true;
      };
      opts.signal?.addEventListener('abort', close, { once: true });
      send('retry: 3000\n\n');
      // Everything below runs in one tick: no live event can slip between the snapshot and the subscription.
      const last = opts.lastEventId ? Number(opts.lastEventId) : undefined;
      const missed = last === undefined ? undefined : hub.since(last);
      if (missed) {
        for (const e of missed) if (wanted(e.kind, e.object)) send(eventMessage(e));
        return;
      }
      send(sseMessage('snapshot', { type: 'BEGIN', object: { resumed: last !== undefined } }));
      let count = 0;
      for (const { kind, object } of hub.objects()) {
        if (!matches(opts.filter, kind, object, lookup)) continue;
        count++;
        send(sseMessage(kind, { type: 'ADDED', object }));
      }
      send(sseMessage('snapshot', { type: 'END', object: { count } }, hub.currentSeq));
      send(sseMessage('status', { type: 'STATUS', object: connectivityObject(hub.registry.connectivity()) }));
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
