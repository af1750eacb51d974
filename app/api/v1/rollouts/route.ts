import { rolloutListQuerySchema } from '@/lib/schemas/actions';
import { ApiError } from '@/server/http/api-error';
import { json, route } from '@/server/http/route';
import { summariesOf } from '@/server/kube/context-summaries';
import { kubeContexts, resolveContext } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

/**
 * The overview: one summary row per rollout (all namespaces, or `?namespace=`), from the informer caches of every
 * configured kube context (or `?context=` alone). Rows carry their `context` when several are configured.
 */
export const GET = route({ query: rolloutListQuerySchema }, async ({ query }) => {
  const names = query.context ? [resolveContext(query.context)] : kubeContexts().list.map((c) => c.name);
  const { items, contexts } = await summariesOf(names, query.namespace);
  const only = contexts.length === 1 ? contexts[0] : undefined;
  if (only && !only.synced)
    throw new ApiError(503, 'kube_unreachable', only.lastError ?? 'Kubernetes API unreachable');
  const connectivity = {
    connected: contexts.every((c) => c.connected),
    lastError: contexts.find((c) => c.lastError)?.lastError ?? null,
  };
  return json({ items, connectivity, contexts });
});
