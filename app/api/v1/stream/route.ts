import { streamQuerySchema } from '@/lib/schemas/actions';
import { guarded } from '@/server/auth/guard';
import { principalFromCookies } from '@/server/auth/session';
import { controlCenterConfig } from '@/server/config/control-center-config';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { contextOf } from '@/server/kube/contexts';
import { streamHub } from '@/server/stream/hub';
import { streamSlots } from '@/server/stream/slots';
import { sseResponse } from '@/server/stream/sse';

export const dynamic = 'force-dynamic';

/**
 * The browser's one live stream (SSE) of one kube context (`?context=`, default the default one):
 * `?namespace=&rollout=` narrows it to a page; `Last-Event-ID` (or
 * `?lastEventId=` for clients that cannot set headers) resumes after a reconnect. At most `streams.perUser` per user
 * and `streams.total` in all (429 past them); objects are redacted for non-admins; each stream's queue is bounded.
 */
export const GET = guarded(async (req: Request, _ctx: unknown, who): Promise<Response> => {
  const query = queryObject(req.url);
  const header = req.headers.get('last-event-id');
  const q = streamQuerySchema.safeParse(header ? { ...query, lastEventId: header } : query);
  if (!q.success) return validationError(q.error, 'query');
  const { lastEventId, context: requested, ...filter } = q.data;
  const context = contextOf(requested);
  if (context instanceof Response) return context;
  const slot = streamSlots().acquire(who ? `${who.provider}:${who.id}` : 'anonymous');
  if (!slot.ok) {
    const res = apiError(429, 'too_many_streams', slot.message);
    res.headers.set('retry-after', '30');
    return res;
  }
  return sseResponse(streamHub(context), {
    filter,
    lastEventId,
    signal: req.signal,
    role: who?.role,
    maxQueuedBytes: controlCenterConfig().streams.queueBytes,
    onClose: slot.release,
    stillAllowed: async () => {
      const now = await principalFromCookies(req.headers.get('cookie'));
      return now !== null && now.role === who?.role;
    },
  });
});
