import { z } from 'zod';
import { dnsLabel, dnsSubdomain, kubeContextName } from '@/lib/schemas/names';
import { TimelineStore } from '@/server/audit/timeline-store';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { contextOf, timelineScope } from '@/server/kube/contexts';
import { informers } from '@/server/kube/registry';
import { storeUnavailable } from '@/server/store/unavailable';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ namespace: dnsLabel, name: dnsSubdomain });
const querySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    before: z.iso.datetime().optional(),
    context: kubeContextName.optional(),
  })
  .strict();

/**
 * One ordered history of a rollout, newest first: step and weight changes, analysis measurements and verdicts,
 * Kubernetes Events and user actions (who, what, the exact patch, the result), from the audit store.
 */
export const GET = guarded(
  async (req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> => {
    const params = paramsSchema.safeParse(await ctx.params);
    if (!params.success) return validationError(params.error, 'path');
    const query = querySchema.safeParse(queryObject(req.url));
    if (!query.success) return validationError(query.error, 'query');
    const context = contextOf(query.data.context);
    if (context instanceof Response) return context;
    informers(context);
    let items: Awaited<ReturnType<TimelineStore['list']>>;
    try {
      items = await new TimelineStore(timelineScope(context)).list(
        params.data.namespace,
        params.data.name,
        query.data,
      );
    } catch (err) {
      return storeUnavailable(err, 'the timeline');
    }
    return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
  },
);
