import { rolloutListQuerySchema } from '@/lib/schemas/actions';
import { guarded } from '@/server/auth/guard';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { summariesOf } from '@/server/kube/context-summaries';
import { contextOf, kubeContexts } from '@/server/kube/contexts';

export const dynamic = 'force-dynamic';

/**
 * The overview: one summary row per rollout (all namespaces, or `?namespace=`), from the informer caches of every
 * configured kube context (or `?context=` alone). Rows carry their `context` when several are configured.
 */
export const GET = guarded(async (req: Request): Promise<Response> => {
  const q = rolloutListQuerySchema.safeParse(queryObject(req.url));
  if (!q.success) return validationError(q.error, 'query');
  let names = kubeContexts().list.map((c) => c.name);
  if (q.data.context) {
    const context = contextOf(q.data.context);
    if (context instanceof Response) return context;
    names = [context];
  }
  const { items, contexts } = await summariesOf(names, q.data.namespace);
  const only = contexts.length === 1 ? contexts[0] : undefined;
  if (only && !only.synced)
    return apiError(503, 'kube_unreachable', only.lastError ?? 'Kubernetes API unreachable');
  return Response.json(
    {
      items,
      connectivity: {
        connected: contexts.every((c) => c.connected),
        lastError: contexts.find((c) => c.lastError)?.lastError ?? null,
      },
      contexts,
    },
    { headers: { 'cache-control': 'no-store' } },
  );
});
