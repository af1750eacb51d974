import { RelativeTime } from '@/components/ui/relative-time';
import type { AuditEntry } from '@/lib/schemas/audit';

const short = (v: unknown) => {
  const s = JSON.stringify(v ?? null);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

/** Newest first: time, who (role), action, rollout, result; request and exact patch under "details". */
export function AuditTable({ items, now }: { items: AuditEntry[]; now: number }) {
  if (items.length === 0)
    return <p className="text-sm text-zinc-500">No audit entries match these filters.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="audit-table">
      <thead className="text-xs uppercase text-zinc-500">
        <tr>
          <th className="py-2 pr-3">Time</th>
          <th className="pr-3">User</th>
          <th className="pr-3">Action</th>
          <th className="pr-3">Rollout</th>
          <th className="pr-3">Result</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr
            key={e.id}
            className="border-t border-zinc-200 align-top dark:border-zinc-800"
            data-testid="audit-row"
          >
            <td className="py-2 pr-3 whitespace-nowrap">
              <RelativeTime iso={e.at} now={now} />
            </td>
            <td className="pr-3">
              {e.actor} <span className="text-zinc-500">({e.role ?? 'no role'})</span>
            </td>
            <td className="pr-3 font-mono">{e.action}</td>
            <td className="pr-3">
              {e.namespace}/{e.rollout}
            </td>
            <td className={`pr-3 ${e.status >= 400 ? 'text-degraded' : 'text-healthy'}`}>
              {e.status >= 400 ? `${e.status} ${e.error ?? ''}` : `${e.status} ${e.target ?? ''}`}
            </td>
            <td>
              <details>
                <summary className="cursor-pointer text-zinc-500">request · patch</summary>
                <pre className="mt-1 max-w-md overflow-x-auto text-xs">
                  request {short(e.request)}
                  {'\n'}patch {short(e.patch)}
                </pre>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
