import type { TimelineEntry } from '@/lib/client/select';
import { Panel } from '../ui/panel';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';

/** Kubernetes Events about the rollout and its children, newest first (from the stream). */
export function TimelinePanel({ entries, now }: { entries: TimelineEntry[]; now: number }) {
  const shown = entries.slice(0, 50);
  return (
    <Panel title="Timeline">
      {shown.length === 0 ? (
        <p className="text-sm text-zinc-500">No events about this rollout yet.</p>
      ) : (
        <ol className="max-h-96 space-y-1.5 overflow-y-auto text-sm" data-testid="timeline">
          {shown.map((e) => (
            <li key={e.key} className="flex gap-3">
              <span className="w-16 shrink-0 text-xs text-zinc-500">
                <RelativeTime iso={e.at} now={now} />
              </span>
              <div className="min-w-0">
                <span className="font-medium">{e.reason}</span>
                {e.type === 'Warning' ? (
                  <span className="ml-2">
                    <StatusBadge label="warning" tone="paused" />
                  </span>
                ) : null}{' '}
                <span className="text-zinc-700 dark:text-zinc-300">{e.message}</span>
                <span className="ml-2 text-xs text-zinc-500">
                  {e.object}
                  {e.count > 1 ? ` ×${e.count}` : ''}
                  {e.source ? ` · ${e.source}` : ''}
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
