import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { SharedResults } from '@/server/metrics/shared-result';
import type { SloReport } from '@/server/slo/evaluate';
import { judgeRequest } from '@/server/slo/judge-request';

export const dynamic = 'force-dynamic';

/** Every open page asks every 5 s; one judgement per rollout and query every 3 s serves them all. */
const shared = new SharedResults<SloReport | Response>(3000);

/** The SLO report of a rollout's canary for the dashboard: the same judgement the judge endpoint gives Argo. */
export const GET = guarded(
  async (req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> => {
    const { namespace, name } = await ctx.params;
    const parsed = judgeQuerySchema.safeParse({ ...queryObject(req.url), namespace, rollout: name });
    if (!parsed.success) return validationError(parsed.error, 'request');
    const result = await shared.get(JSON.stringify(parsed.data), () => judgeRequest(parsed.data));
    if (result instanceof Response) return result.clone();
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  },
);
