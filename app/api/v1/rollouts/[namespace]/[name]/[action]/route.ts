import {
  ACTION_NAMES,
  contextQuerySchema,
  isActionName,
  parseActionRequest,
  rolloutParamsSchema,
} from '@/lib/schemas/actions';
import { auditRefusal } from '@/server/audit/refusals';
import { guarded } from '@/server/auth/guard';
import type { Principal } from '@/server/auth/principal';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { type ActionRecord, recordIntent, recordOutcome } from '@/server/kube/action-hooks';
import { kube } from '@/server/kube/client';
import { contextOf } from '@/server/kube/contexts';
import { errorResponse, errorSummary } from '@/server/kube/error-response';
import { loadTargetRefusal } from '@/server/kube/load-actions';
import { readJsonBody } from '@/server/kube/request-body';
import { runAction } from '@/server/kube/run-action';
import { storeFailureReason } from '@/server/store/failure-reason';

export const dynamic = 'force-dynamic';

/**
 * A rollout action (DESIGN.md §4): 200 `{result, patch, target, patches}` or `{error}` (404/409/413/422/503...).
 * The guard has checked the session, the rate limit, CSRF, the role and namespace. Every refusal here is audited;
 * an action is performed only once its intent is in the audit log (503 `audit_unavailable` otherwise, nothing
 * changed), and its row is then completed with the outcome.
 */
export const POST = guarded(
  async (
    req: Request,
    ctx: { params: Promise<{ namespace: string; name: string; action: string }> },
    who,
  ): Promise<Response> => {
    const raw = await ctx.params;
    const refuse = async (res: Response, body?: unknown): Promise<Response> => {
      if (who)
        await auditRefusal(
          who,
          { action: raw.action, namespace: raw.namespace, name: raw.name, body },
          await errorSummary(res),
        );
      return res;
    };
    const { action, ...rest } = raw;
    if (!isActionName(action))
      return refuse(
        apiError(404, 'not_found', `unknown action "${action}" (one of ${ACTION_NAMES.join(', ')})`),
      );
    const params = rolloutParamsSchema.safeParse(rest);
    if (!params.success) return refuse(validationError(params.error, 'path'));
    const read = await readJsonBody(req);
    if (!read.ok) return refuse(read.response);
    const parsed = parseActionRequest(action, read.body);
    if (!parsed.success) return refuse(validationError(parsed.error, 'body'), read.body);
    const query = contextQuerySchema.safeParse(queryObject(req.url));
    if (!query.success) return refuse(validationError(query.error, 'query'), read.body);
    const context = contextOf(query.data.context);
    if (context instanceof Response) return refuse(context, read.body);
    if (parsed.data.action === 'load') {
      const why = loadTargetRefusal(parsed.data.body.target);
      if (why)
        return refuse(
          apiError(422, 'invalid_input', `invalid body: target: ${why}`, [{ field: 'target', message: why }]),
          read.body,
        );
    }
    const { namespace, name } = params.data;
    const record = actionRecord(who, { action, context, namespace, name, body: parsed.data.body });
    let id: number;
    try {
      id = await recordIntent(record);
    } catch (err) {
      console.error('audit: could not record an action, so it was not performed:', (err as Error).message);
      return apiError(
        503,
        'audit_unavailable',
        `the audit store cannot be written (${storeFailureReason(err)}): ${action} was not performed; nothing changed`,
      );
    }
    const complete = (rec: ActionRecord) =>
      recordOutcome(id, rec).catch((err) =>
        console.error(`audit: could not complete entry ${id}:`, (err as Error).message),
      );
    try {
      const outcome = await runAction(kube(context), namespace, name, parsed.data);
      await complete({ ...record, outcome });
      return Response.json(outcome, { headers: { 'cache-control': 'no-store' } });
    } catch (err) {
      const res = errorResponse(err);
      await complete({ ...record, error: await errorSummary(res) });
      return res;
    }
  },
);

function actionRecord(
  who: Principal | null,
  what: Pick<ActionRecord, 'action' | 'context' | 'namespace' | 'name' | 'body'>,
): ActionRecord {
  return {
    ...what,
    at: new Date().toISOString(),
    subject: who?.subject,
    actor: who?.name,
    role: who?.role,
  };
}
