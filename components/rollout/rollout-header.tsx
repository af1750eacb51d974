import type { LiveState } from '@/lib/client/live-state';
import type { ExternalLink } from '@/lib/links/external-links';
import type { RolloutView } from '@/lib/rollout/rollout-view';
import { LiveIndicator } from '../live/live-indicator';
import { StatusBadge } from '../ui/status-badge';

/** What the panel shows of the view (it renders again only when these change). */
export type HeaderView = Pick<
  RolloutView,
  | 'namespace'
  | 'name'
  | 'phase'
  | 'message'
  | 'aborted'
  | 'paused'
  | 'revision'
  | 'stableImage'
  | 'canaryImage'
>;

/** namespace / name, phase (and aborted), revision, stable image → canary image, live indicator. */
export function RolloutHeader({
  view,
  live,
  links = [],
}: {
  view: HeaderView;
  live: Pick<LiveState, 'connection' | 'synced'>;
  links?: ExternalLink[];
}) {
  return (
    // Painted on its own (`relative isolate`, as a Panel): a phase or message change repaints the header alone.
    <header className="relative isolate space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight">
          <span className="text-zinc-500">{view.namespace} / </span>
          {view.name}
        </h1>
        <StatusBadge label={view.phase} testId="rollout-phase" title={view.message || undefined} />
        {view.aborted ? <StatusBadge label="aborted" tone="degraded" testId="rollout-aborted" /> : null}
        {view.paused && view.phase !== 'Paused' ? <StatusBadge label="paused" tone="paused" /> : null}
        <span className="text-sm text-zinc-600 dark:text-zinc-400">revision {view.revision ?? '—'}</span>
        <span className="ml-auto flex items-center gap-2">
          {links.length > 0 ? (
            <nav aria-label="External tools" className="flex flex-wrap gap-1">
              {links.map((l) => (
                <a
                  key={l.id}
                  href={l.href}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="rounded border border-zinc-300 px-2 py-0.5 text-xs text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
                >
                  {l.label}
                </a>
              ))}
            </nav>
          ) : null}
          <LiveIndicator live={live} />
        </span>
      </div>
      <p className="flex flex-wrap items-center gap-2 font-mono text-sm">
        <span className="text-stable">{view.stableImage ?? 'no stable image yet'}</span>
        <span className="font-sans text-xs text-zinc-500">(stable)</span>
        {view.canaryImage ? (
          <>
            <span aria-hidden="true" className="text-zinc-400">
              →
            </span>
            <span className="sr-only">to</span>
            <span className="text-canary">{view.canaryImage}</span>
            <span className="font-sans text-xs text-zinc-500">(canary)</span>
          </>
        ) : null}
      </p>
      {/* A line kept when empty: a message that comes and goes (pause, resume) does not move the page below; a long
          one (a Degraded or Aborted controller message) wraps to a second line. */}
      <p
        className="min-h-5 line-clamp-2 text-sm text-zinc-600 dark:text-zinc-400"
        title={view.message && view.phase !== 'Healthy' ? view.message : undefined}
      >
        {view.message && view.phase !== 'Healthy' ? view.message : null}
      </p>
    </header>
  );
}
