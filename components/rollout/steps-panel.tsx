import type { RolloutView } from '@/lib/rollout/rollout-view';
import { Panel } from '../ui/panel';
import { RelativeTime } from '../ui/relative-time';

/** What the panel shows of the view (it renders again only when these change). */
export type StepsView = Pick<RolloutView, 'steps' | 'canaryImage' | 'pause'>;

const MARK = { done: '✓', current: '▶', pending: '○' } as const;
const MARK_CLASS = {
  done: 'text-healthy',
  current: 'text-progressing',
  pending: 'text-zinc-400',
} as const;

/** The canary steps: ✓ done, ▶ current, ○ pending (and the state in words for screen readers). */
export function StepsPanel({ view, now }: { view: StepsView; now: number }) {
  return (
    <Panel title="Steps">
      {view.steps.length === 0 ? (
        <p className="text-sm text-zinc-500">This rollout has no canary steps.</p>
      ) : (
        <ol className="space-y-1 text-sm" data-testid="steps">
          {view.steps.map((s) => (
            <li
              key={s.index}
              data-state={s.state}
              className={`flex items-center gap-2 rounded px-1.5 py-0.5 ${s.state === 'current' && view.canaryImage ? 'bg-progressing/10 font-medium' : ''}`}
            >
              <span aria-hidden="true" className={`w-4 text-center ${MARK_CLASS[s.state]}`}>
                {MARK[s.state]}
              </span>
              <span>{s.label}</span>
              <span className="sr-only">({s.state})</span>
            </li>
          ))}
        </ol>
      )}
      {/* One line, kept when empty: a pause that comes and goes does not change the panel's height. */}
      <p className="mt-3 h-4 truncate text-xs text-zinc-600 dark:text-zinc-400" title={view.pause?.reason}>
        {view.pause ? (
          <>
            Paused: {view.pause.reason}
            {view.pause.resumesAt ? (
              <>
                {' '}
                · resumes <RelativeTime iso={view.pause.resumesAt} now={now} />
              </>
            ) : null}
          </>
        ) : null}
      </p>
    </Panel>
  );
}
