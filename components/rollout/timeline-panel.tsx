import type { TimelineEntry as EventEntry } from '@/lib/client/select';
import type { Tone } from '@/lib/client/tone';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { Panel } from '../ui/panel';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';

const KIND_LABEL: Record<TimelineEntry['kind'], string> = {
  step: 'step',
  weight: 'weight',
  phase: 'phase',
  analysis: 'analysis',
  measurement: 'measurement',
  event: 'event',
  action: 'action',
};

/** The colour of an entry: the judge's and the analysis' outcomes, warnings, phases; grey for the rest. */
function toneOfEntry(e: TimelineEntry): Tone {
  const s = e.summary;
  if (/^ROLLBACK\b|\bFailed\b|\bDegraded\b|\bAborted\b/.test(s)) return 'degraded';
  if (/^PROMOTE\b|\bSuccessful\b|\bHealthy\b|\bCompleted\b/.test(s)) return 'healthy';
  if (/\bInconclusive\b|\bPaused\b/.test(s) || e.details?.type === 'Warning') return 'paused';
  if (e.kind === 'step' || e.kind === 'weight') return 'progressing';
  return 'unknown';
}

function Patch({ e }: { e: TimelineEntry }) {
  const patch = e.details?.patch;
  if (e.kind !== 'action' || !patch) return null;
  return (
    <details className="mt-0.5 text-xs">
      <summary className="cursor-pointer text-zinc-500">the exact patch</summary>
      <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 p-2 dark:bg-zinc-900">
        {JSON.stringify(patch, null, 2)}
      </pre>
    </details>
  );
}

/**
 * The decision timeline, newest first: step and weight changes, analysis measurements, the judge's verdicts,
 * Kubernetes Events and user actions (who, what, the exact patch), from the audit store. Until that answers, the
 * streamed Events stand in.
 */
export function TimelinePanel({
  entries,
  events,
  now,
}: {
  entries: TimelineEntry[] | undefined;
  events: EventEntry[];
  now: number;
}) {
  return (
    <Panel title="Timeline">
      {entries === undefined ? (
        <EventList events={events} now={now} />
      ) : entries.length === 0 ? (
        <p className="text-sm text-zinc-500">
          Nothing has happened to this rollout since the control center started.
        </p>
      ) : (
        <ol className="max-h-96 space-y-1.5 overflow-y-auto text-sm" data-testid="timeline">
          {entries.slice(0, 100).map((e) => (
            <li key={e.key} className="flex gap-3">
              <span className="w-16 shrink-0 text-xs text-zinc-500">
                <RelativeTime iso={e.at} now={now} />
              </span>
              <div className="min-w-0">
                <StatusBadge label={KIND_LABEL[e.kind]} tone={toneOfEntry(e)} />{' '}
                <span className="text-zinc-800 dark:text-zinc-200">{e.summary}</span>
                <span className="ml-2 text-xs text-zinc-500">{e.source}</span>
                <Patch e={e} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function EventList({ events, now }: { events: EventEntry[]; now: number }) {
  if (events.length === 0) return <p className="text-sm text-zinc-500">No events about this rollout yet.</p>;
  return (
    <ol className="max-h-96 space-y-1.5 overflow-y-auto text-sm" data-testid="timeline">
      {events.slice(0, 50).map((e) => (
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
  );
}
