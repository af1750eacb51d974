import 'server-only';
import type { ActionRequest } from '@/lib/schemas/actions';
import { auditRefusal } from '@/server/audit/refusals';
import type { Principal } from '@/server/auth/principal';
import { ApiError } from '@/server/http/api-error';
import type { Asked, RouteContext } from '@/server/http/route';
import { runtime } from '../runtime/current';
import { resolveContext } from '../runtime/request-context';
import { storeFailureReason } from '../store/failure-reason';
import { type ActionRecord, recordIntent, recordOutcome } from './action-hooks';
import type { ActionResult } from './action-types';
import { summaryOf, toApiError } from './api-error';
import { loadTargetRefusal } from './load-targets';
import { runAction } from './run-action';

/** One parsed call of the action route. */
export interface ActionCall {
  request: ActionRequest;
  /** The kube context (resolved: `?context=` or the default one). */
  context: string;
  namespace: string;
  name: string;
}

/** What the action route refuses beyond its schemas: an unknown kube context, a load target not configured. */
export function checkAction({ query, body }: { query: { context?: string }; body: ActionRequest }): void {
  resolveContext(query.context);
  if (body.action !== 'load') return;
  const why = loadTargetRefusal(body.body.target);
  if (why)
    throw new ApiError(422, 'invalid_input', `invalid body: target: ${why}`, [
      { field: 'target', message: why },
    ]);
}

/** Audits a refusal of a signed-in user's action request with what was asked (the raw path, the body once read). */
export async function auditActionRefusal(err: ApiError, asked: Asked, { who, rawParams }: RouteContext) {
  if (!who) return;
  const raw = (key: string) => String(rawParams[key] ?? '');
  const path = { action: raw('action'), namespace: raw('namespace'), name: raw('name') };
  await auditRefusal(who, { ...path, body: asked.body }, summaryOf(err));
}

/**
 * A rollout action (DESIGN.md §4) whose request the route has parsed and checked (and audited when refused): the
 * outcome, or throws an ApiError (404/409/422/503...). The action is performed only once its intent is in the
 * audit log (503 `audit_unavailable` otherwise, nothing changed), and its row is then completed with the outcome.
 */
export async function performAction(call: ActionCall, who: Principal | null): Promise<ActionResult> {
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
    throw new ApiError(
      503,
      'audit_unavailable',
      `${why}: ${request.action} was not performed; nothing changed`,
    );
  }
  const complete = (rec: ActionRecord) =>
    recordOutcome(id, rec).catch((err) =>
      console.error(`audit: could not complete entry ${id}:`, (err as Error).message),
    );
  try {
    const outcome = await runAction(runtime().context(context).clients, namespace, name, request);
    await complete({ ...record, outcome });
    return outcome;
  } catch (err) {
    const e = toApiError(err);
    await complete({ ...record, error: summaryOf(e) });
    throw e;
  }
}
