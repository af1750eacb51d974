import {
  ACTION_NAMES,
  contextQuerySchema,
  isActionName,
  parseActionRequest,
  rolloutParamsSchema,
} from '@/lib/schemas/actions';
import { guarded } from '@/server/auth/guard';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { type ActionRecord, recordAction } from '@/server/kube/action-hooks';
import { kube } from '@/server/kube/client';
import { contextOf } from '@/server/kube/contexts';
import { errorResponse, errorSummary } from '@/server/kube/error-response';
import { readJsonBody } from '@/server/kube/request-body';
import { runAction } from '@/server/kube/run-action';

export const dynamic = 'force-dynamic';

/** Writes the audit entry before the response goes out; a failed write is logged, never hidden. */
async function audit(rec: ActionRecord): Promise<void> {
  await recordAction(rec).catch((err) =>
    console.error('audit: could not record an action:', (err as Error).message),
  );
}

/**
 * A rollout action (DESIGN.md §4): 200 `{result, patch, target, patches}` or `{error}` (404/409/413/422/...).
 * The guard has checked the session, CSRF, the role and namespace, and the rate limit.
 */
export const POST = guarded(
  async (
    req: Request,
    ctx: { params: Promise<{ namespace: string; name: string; action: string }> },
    who,
  ): Promise<Response> => {
    const { action, ...rest } = await ctx.params;
    if (!isActionName(action))
      return apiError(404, 'not_found', `unknown action "${action}" (one of ${ACTION_NAMES.join(', ')})`);
    const params = rolloutParamsSchema.safeParse(rest);
    if (!params.success) return validationError(params.error, 'path');
    const read = await readJsonBody(req);
    if (!read.ok) return read.response;
    const parsed = parseActionRequest(action, read.body);
    if (!parsed.success) return validationError(parsed.error, 'body');
    const query = contextQuerySchema.safeParse(queryObject(req.url));
    if (!query.success) return validationError(query.error, 'query');
    const context = contextOf(query.data.context);
    if (context instanceof Response) return context;
    const { namespace, name } = params.data;
    const record: ActionRecord = {
      action,
      context,
      namespace,
      name,
      body: parsed.data.body,
      at: new Date().toISOString(),
      actor: who?.name,
      role: who?.role,
    };
    try {
      const outcome = await runAction(kube(context), namespace, name, parsed.data);
      await audit({ ...record, outcome });
      return Response.json(outcome, { headers: { 'cache-control': 'no-store' } });
    } catch (err) {
      const res = errorResponse(err);
      await audit({ ...record, error: await errorSummary(res) });
      return res;
    }
  },
);
