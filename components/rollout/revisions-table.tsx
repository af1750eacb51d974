import type { RolloutView } from '@/lib/rollout/rollout-view';
import { Panel } from '../ui/panel';
import { RelativeTime } from '../ui/relative-time';

/** What the panel shows of the view (it renders again only when these change). */
export type RevisionsView = Pick<RolloutView, 'revisions'>;

const th = 'py-1.5 pr-3 text-left text-xs font-medium text-zinc-500';
const td = 'py-1.5 pr-3';

/** One row per ReplicaSet revision, newest first, with its role (stable/canary). */
export function RevisionsTable({ view }: { view: RevisionsView }) {
  return (
    <Panel title="Revisions">
      {view.revisions.length === 0 ? (
        <p className="text-sm text-zinc-500">No ReplicaSets yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Revisions of the rollout</caption>
            <thead>
              <tr>
                <th className={th}>Revision</th>
                <th className={th}>Role</th>
                <th className={th}>Image</th>
                <th className={th}>Pods ready</th>
                <th className={th}>Pod hash</th>
                <th className={th}>Created</th>
              </tr>
            </thead>
            <tbody>
              {view.revisions.map((r) => (
                <tr key={r.podHash || r.revision} className="border-t border-zinc-100 dark:border-zinc-900">
                  <td className={`${td} tabular-nums`}>{r.revision}</td>
                  <td className={td}>
                    {r.isStable ? <span className="font-medium text-stable">stable</span> : null}
                    {r.isCanary ? <span className="font-medium text-canary">canary</span> : null}
                    {!r.isStable && !r.isCanary ? <span className="text-zinc-500">old</span> : null}
                  </td>
                  <td className={`${td} font-mono text-xs`}>{r.images.join(', ') || '—'}</td>
                  <td className={`${td} tabular-nums`}>
                    {r.ready}/{r.replicas}
                  </td>
                  <td className={`${td} font-mono text-xs text-zinc-500`}>{r.podHash}</td>
                  <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                    <RelativeTime iso={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
