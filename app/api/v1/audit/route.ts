import { auditQuerySchema, nonEmpty } from '@/lib/schemas/audit';
import { queryAudit } from '@/server/audit/audit-query';
import { flushRefusals } from '@/server/audit/refusals';
import { guarded } from '@/server/auth/guard';
import { queryObject, validationError } from '@/server/http/errors';
import { storeUnavailable } from '@/server/store/unavailable';

export const dynamic = 'force-dynamic';

/**
 * The audit log (admins), with the counts of aggregated refusals written first: `?user=&namespace=&action=&since=&until=&limit=`, newest first; `format=jsonl` downloads
 * it as JSON lines (one entry per line).
 */
export const GET = guarded(async (req: Request): Promise<Response> => {
  const q = auditQuerySchema.safeParse(nonEmpty(queryObject(req.url)));
  if (!q.success) return validationError(q.error, 'query');
  await flushRefusals();
  let items: Awaited<ReturnType<typeof queryAudit>>;
  try {
    items = await queryAudit(q.data);
  } catch (err) {
    return storeUnavailable(err, 'the audit log');
  }
  if (q.data.format === 'jsonl') {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return new Response(items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''), {
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="audit-${stamp}.jsonl"`,
        'cache-control': 'no-store',
      },
    });
  }
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});
