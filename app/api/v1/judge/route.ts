import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { env } from '@/server/config/env';
import { bearerMatches } from '@/server/http/bearer';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { judgeRequest } from '@/server/slo/judge-request';

export const dynamic = 'force-dynamic';

/**
 * Argo Rollouts' `web` metric provider endpoint: `{verdict: "promote"|"pause"|"rollback", slos, explanation}`.
 * Read-only; needs `Authorization: Bearer $JUDGE_TOKEN`.
 */
export async function GET(req: Request): Promise<Response> {
  const token = env().JUDGE_TOKEN;
  if (!token) return apiError(503, 'judge_disabled', 'the judge is disabled: set JUDGE_TOKEN to enable it');
  if (!bearerMatches(req.headers.get('authorization'), token)) {
    return apiError(401, 'unauthorized', 'send Authorization: Bearer <JUDGE_TOKEN>');
  }
  const parsed = judgeQuerySchema.safeParse(queryObject(req.url));
  if (!parsed.success) return validationError(parsed.error, 'query');
  const result = await judgeRequest(parsed.data);
  if (result instanceof Response) return result;
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
}
