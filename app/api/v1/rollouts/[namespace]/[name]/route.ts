import type { Role } from '@/lib/auth/roles';
import { forRole } from '@/lib/redaction/redact-object';
import { rolloutParamsSchema, rolloutViewQuerySchema } from '@/lib/schemas/actions';
import { notFound } from '@/server/http/api-error';
import { json, route } from '@/server/http/route';
import { readyRegistry } from '@/server/kube/cache-ready';
import { getRolloutView, type RolloutRaw } from '@/server/kube/rollout-views';
import { resolveContext } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

/** The raw objects as `role` may see them: as they are for admins, without env values and secrets for the others. */
function rawFor(raw: RolloutRaw, role: Role | null | undefined): RolloutRaw {
  return {
    rollout: forRole(raw.rollout, role),
    replicaSets: raw.replicaSets.map((o) => forRole(o, role)),
    analysisRuns: raw.analysisRuns.map((o) => forRole(o, role)),
    pods: raw.pods.map((o) => forRole(o, role)),
    virtualService: forRole(raw.virtualService, role),
  };
}

/**
 * One rollout's full view model; `?raw=1` adds the objects it was built from under `raw` (redacted for non-admins:
 * lib/redaction/redact-object.ts).
 */
export const GET = route(
  { params: rolloutParamsSchema, query: rolloutViewQuerySchema },
  async ({ params: { namespace, name }, query }, { who }) => {
    const context = resolveContext(query.context);
    const found = getRolloutView(await readyRegistry(5000, context), namespace, name);
    if (!found) throw notFound(`rollout ${namespace}/${name} not found`);
    const raw = query.raw === '1' || query.raw === 'true';
    return json(
      raw ? { ...found.view, context, raw: rawFor(found.raw, who?.role) } : { ...found.view, context },
    );
  },
);
