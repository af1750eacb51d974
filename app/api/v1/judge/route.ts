import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { json, route } from '@/server/http/route';
import { judgeRequest } from '@/server/slo/judge-request';
import { recordVerdict } from '@/server/slo/record-verdict';

export const dynamic = 'force-dynamic';

/**
 * Argo Rollouts' `web` metric provider endpoint: `{verdict: "promote"|"pause"|"rollback", slos, explanation}`.
 * Decisive verdicts are written to the decision timeline. Needs `Authorization: Bearer $JUDGE_TOKEN` (checked by the guard, constant time; no session).
 */
export const GET = route({ query: judgeQuerySchema }, async ({ query }) => {
  const result = await judgeRequest(query);
  await recordVerdict(result, undefined, query.context);
  return json(result);
});
