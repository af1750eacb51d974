import type { Metadata } from 'next';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { RevokeSessions } from '@/components/audit/revoke-sessions';
import { Forbidden } from '@/components/auth/forbidden';
import { auditQuerySchema, nonEmpty } from '@/lib/schemas/audit';
import { queryAudit } from '@/server/audit/audit-query';
import { flushRefusals } from '@/server/audit/refusals';
import { pageAccess } from '@/server/auth/page-access';
import { storeFailureReason } from '@/server/store/failure-reason';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit · Control center' };

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The audit log (admins): who did what to which rollout, the exact patch and the result; filters; JSON lines. */
export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const { denied } = await pageAccess('/audit', '/audit');
  if (denied) return <Forbidden reason={denied} />;
  const raw = Object.fromEntries(
    Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
  const filters = nonEmpty({
    user: raw.user,
    namespace: raw.namespace,
    action: raw.action,
    since: raw.since,
    until: raw.until,
  });
  const parsed = auditQuerySchema.safeParse({ ...filters, limit: '500' });
  let items: Awaited<ReturnType<typeof queryAudit>> = [];
  let error = parsed.success
    ? null
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  if (parsed.success) {
    await flushRefusals();
    try {
      items = await queryAudit(parsed.data);
    } catch (err) {
      console.error('store: could not read the audit log:', (err as Error).message);
      error = `the audit log cannot be read (${storeFailureReason(err)}): try again later`;
    }
  }
  const exportHref = `/api/v1/audit?${new URLSearchParams({ ...filters, format: 'jsonl', limit: '10000' })}`;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <AuditFilters values={filters} exportHref={exportHref} error={error} />
      <AuditTable items={items} now={Date.now()} />
      <section aria-label="Sessions" className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">Sessions</h2>
        <RevokeSessions />
      </section>
    </div>
  );
}
