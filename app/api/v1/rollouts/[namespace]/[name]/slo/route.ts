import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { judgeRequest } from '@/server/slo/judge-request';

export const dynamic = 'force-dynamic';

/** The SLO report of a rollout's canary for the dashboard: the same judgement the judge endpoint gives Argo. */
export const GET = guarded(
  async (req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> => {
    const { namespace, name } = await ctx.params;
    const parsed = judgeQuerySchema.safeParse({ ...queryObject(req.url), namespace, rollout: name });
    if (!parsed.success) return validationError(parsed.error, 'request');
    const result = await judgeRequest(parsed.data);
    if (result instanceof Response) return result;
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  },
);
