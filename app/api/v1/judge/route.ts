import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { judgeRequest } from '@/server/slo/judge-request';
import { recordVerdict } from '@/server/slo/record-verdict';

export const dynamic = 'force-dynamic';

/**
 * Argo Rollouts' `web` metric provider endpoint: `{verdict: "promote"|"pause"|"rollback", slos, explanation}`.
 * Decisive verdicts are written to the decision timeline. Needs `Authorization: Bearer $JUDGE_TOKEN` (checked by the guard, constant time; no session).
 */
export const GET = guarded(async (req: Request): Promise<Response> => {
  const parsed = judgeQuerySchema.safeParse(queryObject(req.url));
  if (!parsed.success) return validationError(parsed.error, 'query');
  const result = await judgeRequest(parsed.data);
  if (result instanceof Response) return result;
  await recordVerdict(result, undefined, parsed.data.context);
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
});
