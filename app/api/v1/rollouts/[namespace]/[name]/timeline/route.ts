import { z } from 'zod';
import { dnsLabel, dnsSubdomain, kubeContextName } from '@/lib/schemas/names';
import { revalidatedJson, route } from '@/server/http/route';
import { runtime } from '@/server/runtime/current';
import { resolveContext } from '@/server/runtime/request-context';
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
export const GET = route({ params: paramsSchema, query: querySchema }, async ({ params, query }, { req }) => {
  const context = resolveContext(query.context);
  // Building the context also starts its recorder, so the history keeps growing from the first look.
  const items = await runtime()
    .context(context)
    .timeline.list(params.namespace, params.name, query)
    .catch((err: unknown) => {
      throw storeUnavailable(err, 'the timeline');
    });
  return revalidatedJson(req, { items });
});
