import type { Faults, TimelineEntry } from '@/lib/client/select';
import type { LoadProgress } from './load-progress';
import type { RolloutView } from './rollout-view';
import type { TimelineEntry as StoredEntry } from './timeline';

/** How many of the timeline entries the projection derived itself a page keeps (the panel lists 100). */
export const RECENT_ENTRIES = 100;

/**
 * Everything a rollout page shows from the cluster, as the server projects it once per change and streams it:
 * the view (null when the rollout is gone), the Kubernetes Events about it, the canary faults of its namespace and
 * the resourceVersions of its AnalysisRuns (the stored timeline is read again when they move: the judge's verdicts are
 * stored by whichever replica answered it), and the timeline entries the projection derived from the changes it saw
 * (`recent`, newest first: the page shows a change's entry without reading the stored timeline).
 *
 * Time-free: the view is built with the clock at 0, so a running load's elapsed time is filled in by the browser
 * from its own clock (`loadAt`) and the projection does not change by itself every second.
 */
export interface RolloutPage {
  view: RolloutView | null;
  events: TimelineEntry[];
  faults: Faults;
  runsVersion: string;
  recent: StoredEntry[];
}

/**
 * The parts of a page that changed: a view patch carries only the view's changed fields (null: the view is gone);
 * `added` the new timeline entries, which go on top of `recent`.
 */
export interface RolloutPagePatch {
  view?: Partial<RolloutView> | null;
  events?: TimelineEntry[];
  faults?: Faults;
  runsVersion?: string;
  added?: StoredEntry[];
}

/**
 * A page's stream message: the whole page on connect (SNAPSHOT), then what changed (DELTA) from revision `base` to
 * `rev`. A resume whose page did not change since its last event id gets UNCHANGED with the revision it is at.
 */
export type RolloutPageMessage =
  | { type: 'SNAPSHOT'; key: string; rev: number; page: RolloutPage }
  | { type: 'DELTA'; key: string; rev: number; base: number; patch: RolloutPagePatch }
  | { type: 'UNCHANGED'; key: string; rev: number };

/**
 * `added` (newest first) on top of `recent`, each key once (an Event modified without a new count derives the same
 * entry again), at most RECENT_ENTRIES. `recent` may be missing from a page a server of an older version sent.
 */
export function withAdded(
  recent: readonly StoredEntry[] | undefined,
  added: readonly StoredEntry[],
): StoredEntry[] {
  const fresh = added.filter((e, i) => added.findIndex((x) => x.key === e.key) === i);
  const keys = new Set(fresh.map((e) => e.key));
  return [...fresh, ...(recent ?? []).filter((e) => !keys.has(e.key))].slice(0, RECENT_ENTRIES);
}

/** `page` with `patch` applied (pure; untouched parts keep their identity). */
export function applyPagePatch(page: RolloutPage, patch: RolloutPagePatch): RolloutPage {
  const next = { ...page };
  if (patch.view === null) next.view = null;
  else if (patch.view) next.view = { ...(page.view ?? {}), ...patch.view } as RolloutView;
  if (patch.events) next.events = patch.events;
  if (patch.faults) next.faults = patch.faults;
  if (patch.runsVersion !== undefined) next.runsVersion = patch.runsVersion;
  if (patch.added?.length) next.recent = withAdded(page.recent, patch.added);
  return next;
}

/** A load run as of `now`: a started run that has not ended counts its elapsed time on the reader's clock. */
export function loadAt(load: LoadProgress | null, now: number): LoadProgress | null {
  if (load?.state !== 'running' || !load.startedAt) return load;
  const started = Date.parse(load.startedAt);
  if (!Number.isFinite(started)) return load;
  const elapsed = Math.max(0, (now - started) / 1000);
  return {
    ...load,
    elapsedSeconds: Math.round(elapsed * 10) / 10,
    fraction: load.durationSeconds > 0 ? Math.min(1, elapsed / load.durationSeconds) : 0,
  };
}
