import { RelativeTime } from '@/components/ui/relative-time';
import type { AuditEntry } from '@/lib/schemas/audit';

const short = (v: unknown) => {
  const s = JSON.stringify(v ?? null);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

/** What the result column says: the status and target or error; a pending intent; refusals folded into one row. */
function result(e: AuditEntry): string {
  if (e.status === 0) return 'no outcome recorded (the action was under way)';
  const text = e.status >= 400 ? `${e.status} ${e.error ?? ''}` : `${e.status} ${e.target ?? ''}`;
  return e.count > 1 ? `${text} ×${e.count}` : text;
}

/**
 * Newest first: time, who (the stable subject; the display name and role in small text), action, rollout, result
 * (with the count of refusals one entry stands for); request and exact patch under "details".
 */
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
              <span className="font-mono text-xs" data-testid="audit-subject">
                {e.subject || e.actor}
              </span>
              <br />
              <small className="text-zinc-500">
                {e.actor} ({e.role ?? 'no role'})
              </small>
            </td>
            <td className="pr-3 font-mono">{e.action}</td>
            <td className="pr-3">
              {e.namespace}/{e.rollout}
            </td>
            <td
              className={`pr-3 ${e.status >= 400 || e.status === 0 ? 'text-degraded' : 'text-healthy'}`}
              data-testid="audit-result"
            >
              {result(e)}
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
