import { auditQuerySchema, nonEmpty } from '@/lib/schemas/audit';
import { queryAudit } from '@/server/audit/audit-query';
import { flushRefusals } from '@/server/audit/refusals';
import { queryObject } from '@/server/http/errors';
import { jsonLinesDownload } from '@/server/http/json-lines';
import { json, route } from '@/server/http/route';
import { storeUnavailable } from '@/server/store/unavailable';

export const dynamic = 'force-dynamic';

/**
 * The audit log (admins), with the counts of aggregated refusals written first: `?user=&namespace=&action=&since=&until=&limit=`, newest first; `format=jsonl` downloads
 * it as JSON lines (one entry per line).
 */
export const GET = route(
  { query: auditQuerySchema, queryFrom: (req) => nonEmpty(queryObject(req.url)) },
  async ({ query }) => {
    await flushRefusals();
    const items = await queryAudit(query).catch((err: unknown) => {
      throw storeUnavailable(err, 'the audit log');
    });
    return query.format === 'jsonl' ? jsonLinesDownload(items, 'audit') : json({ items });
  },
);
