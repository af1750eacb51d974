import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { ApiError } from '@/server/http/api-error';
import { queryObject } from '@/server/http/errors';
import { json, route } from '@/server/http/route';
import { SharedResults } from '@/server/metrics/shared-result';
import { type JudgeReport, judgeRequest } from '@/server/slo/judge-request';

export const dynamic = 'force-dynamic';

/** Every open page asks every 5 s; one judgement (or refusal) per rollout and query every 3 s serves them all. */
const shared = new SharedResults<JudgeReport | ApiError>(3000);
const judged = (query: Parameters<typeof judgeRequest>[0]) =>
  judgeRequest(query).catch((err: unknown) => {
    if (err instanceof ApiError) return err;
    throw err;
  });

/** The SLO report of a rollout's canary for the dashboard: the same judgement the judge endpoint gives Argo. */
export const GET = route(
  {
    query: judgeQuerySchema,
    queryFrom: (req, { namespace, name }) => ({ ...queryObject(req.url), namespace, rollout: name }),
    queryLabel: 'request',
  },
  async ({ query }) => {
    const result = await shared.get(JSON.stringify(query), () => judged(query));
    if (result instanceof ApiError) throw result;
    return json(result);
  },
);
