import { route } from '@/server/http/route';
import { serverMetrics } from '@/server/observability/server-metrics';

export const dynamic = 'force-dynamic';

/** The server's own metrics in Prometheus' text format; `Authorization: Bearer $METRICS_TOKEN` (checked by the guard). */
export const GET = route({}, async () => {
  const registry = serverMetrics();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
});
