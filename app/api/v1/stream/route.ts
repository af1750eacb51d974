import { streamQuerySchema } from '@/lib/schemas/actions';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { contextOf } from '@/server/kube/contexts';
import { streamHub } from '@/server/stream/hub';
import { sseResponse } from '@/server/stream/sse';

export const dynamic = 'force-dynamic';

/**
 * The browser's one live stream (SSE) of one kube context (`?context=`, default the default one):
 * `?namespace=&rollout=` narrows it to a page; `Last-Event-ID` (or
 * `?lastEventId=` for clients that cannot set headers) resumes after a reconnect.
 */
export const GET = guarded(async (req: Request): Promise<Response> => {
  const query = queryObject(req.url);
  const header = req.headers.get('last-event-id');
  const q = streamQuerySchema.safeParse(header ? { ...query, lastEventId: header } : query);
  if (!q.success) return validationError(q.error, 'query');
  const { lastEventId, context: requested, ...filter } = q.data;
  const context = contextOf(requested);
  if (context instanceof Response) return context;
  return sseResponse(streamHub(context), { filter, lastEventId, signal: req.signal });
});
