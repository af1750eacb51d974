import type { Rollout } from '@/lib/rollout/kube-types';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { rolloutParamsSchema, trafficQuerySchema } from '@/lib/schemas/actions';
import { TimelineStore } from '@/server/audit/timeline-store';
import { guarded } from '@/server/auth/guard';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { readyRegistry } from '@/server/kube/cache-ready';
import { contextOf, timelineScope } from '@/server/kube/contexts';
import { rolloutTraffic } from '@/server/metrics/rollout-traffic';
import { SharedResults } from '@/server/metrics/shared-result';
import { metricsSource } from '@/server/metrics/source';

export const dynamic = 'force-dynamic';

/** Every open page of a rollout asks every 10 s: one metrics query per rollout and range every 5 s serves them all. */
const shared = new SharedResults<RolloutTraffic>(5000);

/**
 * Requests per second, error rate and P95 per version over the last `minutes`, the canary's observed share of the
 * last minute, and the step/phase/action marks of the decision timeline: what the rollout page charts.
 */
export const GET = guarded(
  async (req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> => {
    const params = rolloutParamsSchema.safeParse(await ctx.params);
    if (!params.success) return validationError(params.error, 'path');
    const query = trafficQuerySchema.safeParse(queryObject(req.url));
    if (!query.success) return validationError(query.error, 'query');
    const context = contextOf(query.data.context);
    if (context instanceof Response) return context;
    const reg = await readyRegistry(5000, context);
    if (reg instanceof Response) return reg;
    const { namespace, name } = params.data;
    const ro = reg.get('rollout', namespace, name) as Rollout | undefined;
    if (!ro) return apiError(404, 'not_found', `rollout ${namespace}/${name} not found`);
    const { minutes } = query.data;
    const traffic = await shared.get(`${context}/${namespace}/${name}/${minutes}`, async () =>
      rolloutTraffic(ro, metricsSource(context), await timelineMarks(context, namespace, name), {
        minutes,
        now: Date.now(),
      }),
    );
    return Response.json(traffic, { headers: { 'cache-control': 'no-store' } });
  },
);

/** The timeline the chart marks; without the store the chart still shows the metrics (the failure is logged). */
async function timelineMarks(context: string, namespace: string, name: string): Promise<TimelineEntry[]> {
  try {
    return await new TimelineStore(timelineScope(context)).list(namespace, name, { limit: 500 });
  } catch (err) {
    console.error('timeline: the traffic chart goes without its marks:', (err as Error).message);
    return [];
  }
}
