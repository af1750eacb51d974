import 'server-only';
import { API_POLICY, type Method, MUTATING, matchRoute } from '@/lib/auth/policy';
import { canAct, canAudit, canRead, type Decision } from '@/lib/auth/roles';
import { contextQuerySchema } from '@/lib/schemas/actions';
import { auditRefusal as recordRefusal } from '../audit/refusals';
import { controlCenterConfig } from '../config/control-center-config';
import { env } from '../config/env';
import { ApiError, invalidInput } from '../http/api-error';
import { bearerMatches } from '../http/bearer';
import { atTheEdge } from '../http/edge';
import { errorAnswer, queryObject } from '../http/errors';
import { runtime } from '../runtime/current';
import { resolveContext } from '../runtime/request-context';
import { csrfRefusal } from './csrf';
import type { Principal } from './principal';
import { authenticate } from './session';

/** Marks handlers made by `guarded` (the route-enumeration test checks every exported method has it). */
export const GUARDED = Symbol.for('control-center.guarded');

type Handler<C> = (req: Request, ctx: C, who: Principal | null) => Promise<Response> | Response;

/** Records a refused rollout action (who, what, why) in the audit log, aggregated (server/audit/refusals.ts). */
async function auditRefusal(
  who: Principal,
  req: Request,
  params: Record<string, string>,
  status: number,
  code: string,
  message: string,
  resolvedContext?: string,
) {
  const context = resolvedContext ?? (new URL(req.url).searchParams.get('context') ?? '').slice(0, 253);
  await recordRefusal(
    who,
    { action: params.action ?? '', namespace: params.namespace ?? '', name: params.name ?? '', context },
    { status, code, message },
  );
}

/** The per-user action limit: throws a 429 (audited) past `auth.actionsPerMinute`. */
async function checkRateLimit(who: Principal, req: Request, params: Record<string, string>): Promise<void> {
  const limited = runtime().actionLimiter.hit(`user:${who.provider}:${who.id}`);
  if (limited.ok) return;
  const msg = `too many actions: at most ${controlCenterConfig().auth.actionsPerMinute} a minute per user; retry in ${limited.retryAfterSeconds} s`;
  await auditRefusal(who, req, params, 429, 'rate_limited', msg);
  throw new ApiError(429, 'rate_limited', msg, undefined, {
    'retry-after': String(limited.retryAfterSeconds),
  });
}

/**
 * THE ONE PLACE where requests are let in. Looks the request's path and method up in API_POLICY and applies it:
 * no entry → 403 (deny by default); judge → bearer token; read/act/audit → a valid session (401, counted per source,
 * not audited: it names no user), the per-user action rate limit (429; refused requests count too), CSRF checks on
 * changes (403), the role and namespace (403). Refusals of actions are audited (aggregated). Only then the handler
 * runs, with the principal for the audit log. Anything thrown on the way is answered by `errorAnswer`: an ApiError
 * with its status, anything else a 500 that leaks nothing.
 */
export function guarded<C>(handler: Handler<C>): (req: Request, ctx?: C) => Promise<Response> {
  const wrapped = async (req: Request, maybeCtx?: C): Promise<Response> => {
    const ctx = maybeCtx as C;
    const url = new URL(req.url);
    const method = (req.method === 'HEAD' ? 'GET' : req.method.toUpperCase()) as Method;
    const match = matchRoute(Object.keys(API_POLICY), url.pathname);
    const permission = match ? API_POLICY[match.pattern]?.[method] : undefined;
    if (!match || !permission) {
      console.error(`auth: no policy for ${method} ${url.pathname}: refused`);
      throw new ApiError(403, 'forbidden', `no access policy for ${method} ${url.pathname}`);
    }
    if (permission === 'public' || permission === 'auth') return handler(req, ctx, null);
    if (permission === 'judge' || permission === 'metrics') {
      const [name, what] =
        permission === 'judge'
          ? (['JUDGE_TOKEN', 'the judge'] as const)
          : (['METRICS_TOKEN', 'the metrics endpoint'] as const);
      const token = env()[name];
      if (!token)
        throw new ApiError(503, `${permission}_disabled`, `${what} is disabled: set ${name} to enable it`);
      if (!bearerMatches(req.headers.get('authorization'), token))
        throw new ApiError(401, 'unauthorized', `send Authorization: Bearer <${name}>`);
      return handler(req, ctx, null);
    }
    const session = await authenticate(req.headers.get('cookie'));
    if (session.who === null) {
      runtime().unauthenticated.count(req);
      throw new ApiError(401, 'unauthenticated', session.reason);
    }
    const who = session.who;
    // Every action request counts against the user's limit, refused ones too, before anything is written for it.
    if (permission === 'act') await checkRateLimit(who, req, match.params);
    if (MUTATING.includes(method)) {
      const csrf = csrfRefusal(req);
      if (csrf) {
        if (permission === 'act') await auditRefusal(who, req, match.params, 403, 'csrf', csrf);
        throw new ApiError(403, 'csrf', csrf);
      }
    }
    // An action is checked against the kube context it names (`?context=`; omitted: the default one).
    let context = '';
    if (permission === 'act') {
      const q = contextQuerySchema.safeParse(queryObject(req.url));
      if (!q.success) {
        await auditRefusal(who, req, match.params, 422, 'invalid', 'the query is not valid (context)');
        throw invalidInput(q.error, 'query');
      }
      try {
        context = resolveContext(q.data.context);
      } catch (err) {
        if (err instanceof ApiError)
          await auditRefusal(who, req, match.params, err.status, 'unknown_context', 'unknown kube context');
        throw err;
      }
    }
    let decision: Decision;
    if (permission === 'read') decision = canRead(who);
    else if (permission === 'audit') decision = canAudit(who);
    else decision = canAct(who, match.params.action ?? '', context, match.params.namespace ?? '');
    if (!decision.ok) {
      if (permission === 'act')
        await auditRefusal(who, req, match.params, 403, 'forbidden', decision.reason, context);
      throw new ApiError(403, 'forbidden', decision.reason);
    }
    return handler(req, ctx, who);
  };
  // Whatever the guard or the handler throws is answered here, in the one place (server/http/errors.ts).
  const answered = (req: Request, ctx?: C) =>
    wrapped(req, ctx).catch((err: unknown) => errorAnswer(err, `${req.method} ${new URL(req.url).pathname}`));
  const edged = (req: Request, ctx?: C) => atTheEdge(req, () => answered(req, ctx));
  Object.defineProperty(edged, GUARDED, { value: true });
  return edged;
}
