import type { Rollout } from '@/lib/rollout/kube-types';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { rolloutParamsSchema, trafficQuerySchema } from '@/lib/schemas/actions';
import { notFound } from '@/server/http/api-error';
import { json, route } from '@/server/http/route';
import { readyRegistry } from '@/server/kube/cache-ready';
import { rolloutTraffic } from '@/server/metrics/rollout-traffic';
import { SharedResults } from '@/server/metrics/shared-result';
import { runtime } from '@/server/runtime/current';
import { resolveContext } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

/** Every open page of a rollout asks every 10 s: one metrics query per rollout and range every 5 s serves them all. */
const shared = new SharedResults<RolloutTraffic>(5000);

/**
 * Requests per second, error rate and P95 per version over the last `minutes`, the canary's observed share of the
 * last minute, and the step/phase/action marks of the decision timeline: what the rollout page charts.
 */
export const GET = route(
  { params: rolloutParamsSchema, query: trafficQuerySchema },
  async ({ params: { namespace, name }, query: { minutes, context: asked } }) => {
    const context = resolveContext(asked);
    const ro = (await readyRegistry(5000, context)).get('rollout', namespace, name) as Rollout | undefined;
    if (!ro) throw notFound(`rollout ${namespace}/${name} not found`);
    const traffic = await shared.get(`${context}/${namespace}/${name}/${minutes}`, async () =>
      rolloutTraffic(ro, runtime().context(context).metrics, await timelineMarks(context, namespace, name), {
        minutes,
        now: Date.now(),
      }),
    );
    return json(traffic);
  },
);

/** The timeline the chart marks; without the store the chart still shows the metrics (the failure is logged). */
async function timelineMarks(context: string, namespace: string, name: string): Promise<TimelineEntry[]> {
  try {
    return await runtime().context(context).timeline.list(namespace, name, { limit: 500 });
  } catch (err) {
    console.error('timeline: the traffic chart goes without its marks:', (err as Error).message);
    return [];
  }
}
