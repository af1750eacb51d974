import { rolloutListQuerySchema } from '@/lib/schemas/actions';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { readyRegistry } from '@/server/kube/cache-ready';
import { listSummaries } from '@/server/kube/rollout-views';

export const dynamic = 'force-dynamic';

/** The overview: one summary row per rollout (all namespaces, or `?namespace=`), from the informer cache. */
export const GET = guarded(async (req: Request): Promise<Response> => {
  const q = rolloutListQuerySchema.safeParse(queryObject(req.url));
  if (!q.success) return validationError(q.error, 'query');
  const reg = await readyRegistry();
  if (reg instanceof Response) return reg;
  const { connected, lastError } = reg.connectivity();
  return Response.json(
    { items: listSummaries(reg, q.data.namespace), connectivity: { connected, lastError } },
    { headers: { 'cache-control': 'no-store' } },
  );
});
