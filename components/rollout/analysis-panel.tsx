import type { RolloutView } from '@/lib/rollout/rollout-view';
import { Panel } from '../ui/panel';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';

/** What the panel shows of the view (it renders again only when these change). */
export type AnalysisView = Pick<RolloutView, 'analysisRuns'>;

/** The rollout's AnalysisRuns, newest first, with each metric's counts and last value (latest 5). */
export function AnalysisPanel({ view }: { view: AnalysisView }) {
  const runs = view.analysisRuns.slice(0, 5);
  return (
    <Panel title="Analysis runs">
      {runs.length === 0 ? (
        <p className="text-sm text-zinc-500">No analysis has run yet.</p>
      ) : (
        <ul className="space-y-3">
          {runs.map((r) => (
            <li key={r.name} className="text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs">{r.name}</span>
                <StatusBadge label={r.phase} />
                <span className="text-xs text-zinc-500">
                  started <RelativeTime iso={r.startedAt} />
                </span>
              </div>
              {r.message ? <p className="text-xs text-zinc-600 dark:text-zinc-400">{r.message}</p> : null}
              <ul className="mt-1 space-y-0.5 pl-4 text-xs">
                {r.metrics.map((m) => (
                  <li key={m.name} className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{m.name}</span>
                    <StatusBadge label={m.phase} />
                    <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                      {m.count} measured · {m.successful} ok · {m.failed} failed · {m.inconclusive}{' '}
                      inconclusive
                    </span>
                    {m.lastValue !== null ? <span>last: {m.lastValue}</span> : null}
                    {m.message ? <span className="text-zinc-500">{m.message}</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
