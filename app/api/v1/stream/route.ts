import type { Role } from '@/lib/auth/roles';
import { streamQuerySchema } from '@/lib/schemas/actions';
import { principalFromCookies } from '@/server/auth/session';
import { controlCenterConfig } from '@/server/config/control-center-config';
import { ApiError } from '@/server/http/api-error';
import { queryObject } from '@/server/http/errors';
import { route } from '@/server/http/route';
import { runtime } from '@/server/runtime/current';
import { resolveContext } from '@/server/runtime/request-context';
import { sseResponse } from '@/server/stream/sse';

export const dynamic = 'force-dynamic';

/** The query, with the `Last-Event-ID` header (when sent) as `lastEventId`: it wins over the query parameter. */
function withLastEventId(req: Request): Record<string, string> {
  const header = req.headers.get('last-event-id');
  return header ? { ...queryObject(req.url), lastEventId: header } : queryObject(req.url);
}

/** The stream's session is still valid and its role unchanged (checked while the stream is open). */
async function sameRoleStill(req: Request, role: Role | null | undefined): Promise<boolean> {
  const now = await principalFromCookies(req.headers.get('cookie'));
  return now !== null && now.role === role;
}

/**
 * The browser's one live stream (SSE) of one kube context (`?context=`, default the default one):
 * `?namespace=&rollout=` narrows it to a page (`&shape=view`: the page as the server projects it, sent as deltas);
 * `Last-Event-ID` (or
 * `?lastEventId=` for clients that cannot set headers) resumes after a reconnect. At most `streams.perUser` per user
 * and `streams.total` in all (429 past them); objects are redacted for non-admins; each stream's queue is bounded.
 */
export const GET = route(
  { query: streamQuerySchema, queryFrom: withLastEventId },
  ({ query }, { req, who }) => {
    const { lastEventId, context: requested, shape, ...filter } = query;
    const context = resolveContext(requested);
    const slot = runtime().streamSlots.acquire(who ? `${who.provider}:${who.id}` : 'anonymous');
    if (!slot.ok)
      throw new ApiError(429, 'too_many_streams', slot.message, undefined, { 'retry-after': '30' });
    return sseResponse(runtime().context(context), {
      filter,
      shape,
      lastEventId,
      signal: req.signal,
      role: who?.role,
      maxQueuedBytes: controlCenterConfig().streams.queueBytes,
      onClose: slot.release,
      stillAllowed: () => sameRoleStill(req, who?.role),
    });
  },
);
