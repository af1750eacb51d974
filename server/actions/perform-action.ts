import 'server-only';
import { ACTION_NAMES, isActionName } from '@/lib/actions/catalogue';
import {
  type ActionRequest,
  contextQuerySchema,
  parseActionRequest,
  rolloutParamsSchema,
} from '@/lib/schemas/actions';
import { auditRefusal } from '@/server/audit/refusals';
import type { Principal } from '@/server/auth/principal';
import { queryObject } from '@/server/http/errors';
import { readJsonBody } from '../kube/request-body';
import { runtime } from '../runtime/current';
import { contextOf } from '../runtime/request-context';
import { storeFailureReason } from '../store/failure-reason';
import { type ActionRecord, recordIntent, recordOutcome } from './action-hooks';
import { ApiError, toApiError } from './api-error';
import { loadTargetRefusal } from './load-targets';
import { runAction } from './run-action';

export interface ActionPath {
  namespace: string;
  name: string;
  action: string;
}

interface ParsedCall {
  request: ActionRequest;
  context: string;
  namespace: string;
  name: string;
}

/** Parses a call at the border; throws ApiError (with `body`, the raw body once read, kept for the audit). */
async function parseCall(req: Request, path: ActionPath, keep: (body: unknown) => void): Promise<ParsedCall> {
  const { action, ...rest } = path;
  if (!isActionName(action))
    throw new ApiError(404, 'not_found', `unknown action "${action}" (one of ${ACTION_NAMES.join(', ')})`);
  const params = rolloutParamsSchema.safeParse(rest);
  if (!params.success) throw ApiError.invalid(params.error, 'path');
  const read = await readJsonBody(req);
  if (!read.ok) throw await ApiError.fromResponse(read.response);
  keep(read.body);
  const parsed = parseActionRequest(action, read.body);
  if (!parsed.success) throw ApiError.invalid(parsed.error, 'body');
  const query = contextQuerySchema.safeParse(queryObject(req.url));
  if (!query.success) throw ApiError.invalid(query.error, 'query');
  const context = contextOf(query.data.context);
  if (context instanceof Response) throw await ApiError.fromResponse(context);
  if (parsed.data.action === 'load') {
    const why = loadTargetRefusal(parsed.data.body.target);
    if (why)
      throw new ApiError(422, 'invalid_input', `invalid body: target: ${why}`, [
        { field: 'target', message: why },
      ]);
  }
  return { request: parsed.data, context, ...params.data };
}

/**
 * A rollout action (DESIGN.md §4): 200 `{result, patch, target, patches}` or `{error}` (404/409/413/422/503...).
 * The guard has checked the session, the rate limit, CSRF, the role and namespace. Every refusal here is audited;
 * an action is performed only once its intent is in the audit log (503 `audit_unavailable` otherwise, nothing
 * changed), and its row is then completed with the outcome.
 */
export async function performAction(
  req: Request,
  path: ActionPath,
  who: Principal | null,
): Promise<Response> {
  let body: unknown;
  let call: ParsedCall;
  try {
    call = await parseCall(req, path, (b) => {
      body = b;
    });
  } catch (err) {
    const e = toApiError(err);
    if (who) await auditRefusal(who, { ...path, body }, e.summary);
    return e.response();
  }
  const { request, context, namespace, name } = call;
  const record: ActionRecord = {
    action: request.action,
    context,
    namespace,
    name,
    body: request.body,
    at: new Date().toISOString(),
    subject: who?.subject,
    actor: who?.name,
    role: who?.role,
  };
  let id: number;
  try {
    id = await recordIntent(record);
  } catch (err) {
    console.error('audit: could not record an action, so it was not performed:', (err as Error).message);
    const why = `the audit store cannot be written (${storeFailureReason(err)})`;
    return new ApiError(
      503,
      'audit_unavailable',
      `${why}: ${request.action} was not performed; nothing changed`,
    ).response();
  }
  const complete = (rec: ActionRecord) =>
    recordOutcome(id, rec).catch((err) =>
      console.error(`audit: could not complete entry ${id}:`, (err as Error).message),
    );
  try {
    const outcome = await runAction(runtime().context(context).clients, namespace, name, request);
    await complete({ ...record, outcome });
    return Response.json(outcome, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    const e = toApiError(err);
    await complete({ ...record, error: e.summary });
    return e.response();
  }
}
