import { parseFieldSelector, parseLabelSelector } from '../store/selectors';
import type { KubeObject } from '../store/types';
import { toStatusError } from './http-util';
import type { ApiContext, ResourceRequest } from './request';
import { includeObjectParam, toTable, wantsTable } from './table';
import { toServed } from './versions';

function joinSelectors(a: string | null, b: string | undefined): string | undefined {
  const parts = [a, b].filter((s): s is string => Boolean(s));
  return parts.length ? parts.join(',') : undefined;
}

/**
 * A watch: a chunked `application/json` stream of one event per line. An expired resourceVersion is answered as real
 * servers do, with an ERROR event carrying a 410 Expired Status (clients then relist). Bookmarks every
 * `bookmarkIntervalMs` when asked; the stream ends after `timeoutSeconds`.
 */
export function serveWatch(ctx: ApiContext, r: ResourceRequest): void {
  const { route, query, req, res } = r;
  const { rt, version } = route;
  const fieldSelector = joinSelectors(
    query.get('fieldSelector'),
    route.name ? `metadata.name=${route.name}` : undefined,
  );
  const labelSelector = query.get('labelSelector') ?? undefined;
  parseLabelSelector(labelSelector);
  parseFieldSelector(fieldSelector);
  const table = wantsTable(req.headers.accept);
  const include = includeObjectParam(query.get('includeObject'));

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  ctx.streams.add(res);
  let first = true;
  const send = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const eventObject = (o: KubeObject): unknown => {
    const served = toServed(rt, version, o);
    if (!table) return served;
    const t = toTable(rt.kind, [served], o.metadata.resourceVersion ?? '', include, first);
    first = false;
    return t;
  };

  const timers: NodeJS.Timeout[] = [];
  let stop: (() => void) | undefined;
  const cleanup = () => {
    for (const t of timers) clearTimeout(t);
    stop?.();
    stop = undefined;
    ctx.streams.delete(res);
  };
  res.on('close', cleanup);
  try {
    stop = ctx.store.watch(
      rt,
      {
        namespace: route.namespace,
        labelSelector,
        fieldSelector,
        resourceVersion: query.get('resourceVersion') ?? undefined,
      },
      (ev) => send(ev.type, eventObject(ev.object)),
    );
  } catch (err) {
    send('ERROR', toStatusError(err).toStatus());
    res.end();
    cleanup();
    return;
  }
  const allowBookmarks = ['1', 'true'].includes(query.get('allowWatchBookmarks') ?? '');
  if (allowBookmarks) {
    const bookmark = () =>
      send('BOOKMARK', {
        kind: rt.kind,
        apiVersion: toServed(rt, version, { apiVersion: '', kind: '', metadata: {} }).apiVersion,
        metadata: { resourceVersion: ctx.store.currentResourceVersion() },
      });
    timers.push(setInterval(bookmark, ctx.bookmarkIntervalMs));
  }
  const timeout = Number(query.get('timeoutSeconds'));
  if (Number.isFinite(timeout) && timeout > 0)
    timers.push(
      setTimeout(() => {
        cleanup();
        res.end();
      }, timeout * 1000),
    );
}
