import { route } from '@/server/http/route';
import { runtime } from '@/server/runtime/current';

export const dynamic = 'force-dynamic';

/** The server's own metrics in Prometheus' text format; `Authorization: Bearer $METRICS_TOKEN` (checked by the guard). */
export const GET = route({}, async () => {
  const registry = runtime().metrics;
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
});
