import { memo } from 'react';
import type { TimelineEntry as EventEntry } from '@/lib/client/select';
import type { Tone } from '@/lib/client/tone';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { Panel } from '../ui/panel';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';
import { TIMELINE_SHOWN } from './use-timeline';

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

/** One line of the list, whether from the stored history or a streamed Event. */
interface Row {
  at: string | null;
  label: string;
  tone: Tone;
  text: string;
  meta: string;
  entry?: TimelineEntry;
}

const storedRow = (e: TimelineEntry): Row => ({
  at: e.at,
  label: e.kind,
  tone: toneOfEntry(e),
  text: e.summary,
  meta: e.source,
  entry: e,
});

const eventRow = (e: EventEntry): Row => ({
  at: e.at,
  label: e.type === 'Warning' ? 'warning' : 'event',
  tone: e.type === 'Warning' ? 'paused' : 'unknown',
  text: `${e.reason} ${e.message}`.trim(),
  meta: `${e.object}${e.count > 1 ? ` ×${e.count}` : ''}${e.source ? ` · ${e.source}` : ''}`,
});

/**
 * A line is laid out and painted only while it is in the list's view (content-visibility: auto; until first shown it
 * stands 1.5rem tall, then as tall as it last was). A new line at the top moves every line below it: without this the
 * browser painted all of the list's lines again on every change, with it only those in view.
 */
const LINE = 'flex gap-3 [content-visibility:auto] [contain-intrinsic-size:auto_1.5rem]';

/**
 * One line, rendered again only when its own entry changed (the cache keeps an unchanged entry the same object): a new
 * entry renders one line, not the list. Its time ticks on its own.
 */
const TimelineLine = memo(function TimelineLine({
  stored,
  event,
}: {
  stored?: TimelineEntry;
  event?: EventEntry;
}) {
  const r = stored ? storedRow(stored) : event ? eventRow(event) : null;
  if (!r) return null;
  return (
    <li className={LINE} data-kind={r.label}>
      <span className="w-16 shrink-0 text-xs text-zinc-500">
        <RelativeTime iso={r.at} />
      </span>
      <div className="min-w-0">
        <StatusBadge label={r.label} tone={r.tone} />{' '}
        <span className="text-zinc-800 dark:text-zinc-200">{r.text}</span>
        <span className="ml-2 text-xs text-zinc-500">{r.meta}</span>
        {r.entry ? <Patch e={r.entry} /> : null}
      </div>
    </li>
  );
});

/**
 * The decision timeline, newest first: step and weight changes, analysis measurements, the judge's verdicts,
 * Kubernetes Events and user actions (who, what, the exact patch), from the audit store. Until that answers, the
 * streamed Events stand in.
 */
export const TimelinePanel = memo(function TimelinePanel({
  entries,
  events,
}: {
  entries: TimelineEntry[] | undefined;
  events: EventEntry[];
}) {
  const empty =
    entries === undefined
      ? 'No events about this rollout yet.'
      : 'Nothing has happened to this rollout since the control center started.';
  const count =
    entries === undefined ? Math.min(events.length, 50) : Math.min(entries.length, TIMELINE_SHOWN);
  return (
    <Panel title="Timeline">
      {count === 0 ? (
        <p className="text-sm text-zinc-500">{empty}</p>
      ) : (
        <ol className="max-h-96 space-y-1.5 overflow-y-auto text-sm" data-testid="timeline">
          {entries === undefined
            ? events.slice(0, 50).map((e) => <TimelineLine key={e.key} event={e} />)
            : entries.slice(0, TIMELINE_SHOWN).map((e) => <TimelineLine key={e.key} stored={e} />)}
        </ol>
      )}
    </Panel>
  );
});
