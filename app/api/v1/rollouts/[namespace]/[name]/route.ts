import type { Role } from '@/lib/auth/roles';
import { forRole } from '@/lib/redaction/redact-object';
import { rolloutParamsSchema, rolloutViewQuerySchema } from '@/lib/schemas/actions';
import { guarded } from '@/server/auth/guard';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { readyRegistry } from '@/server/kube/cache-ready';
import { contextOf } from '@/server/kube/contexts';
import { getRolloutView, type RolloutRaw } from '@/server/kube/rollout-views';

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
export const GET = guarded(
  async (
    req: Request,
    ctx: { params: Promise<{ namespace: string; name: string }> },
    who,
  ): Promise<Response> => {
    const params = rolloutParamsSchema.safeParse(await ctx.params);
    if (!params.success) return validationError(params.error, 'path');
    const q = rolloutViewQuerySchema.safeParse(queryObject(req.url));
    if (!q.success) return validationError(q.error, 'query');
    const context = contextOf(q.data.context);
    if (context instanceof Response) return context;
    const reg = await readyRegistry(5000, context);
    if (reg instanceof Response) return reg;
    const { namespace, name } = params.data;
    const found = getRolloutView(reg, namespace, name);
    if (!found) return apiError(404, 'not_found', `rollout ${namespace}/${name} not found`);
    const raw = q.data.raw === '1' || q.data.raw === 'true';
    return Response.json(
      raw ? { ...found.view, context, raw: rawFor(found.raw, who?.role) } : { ...found.view, context },
      {
        headers: { 'cache-control': 'no-store' },
      },
    );
  },
);
