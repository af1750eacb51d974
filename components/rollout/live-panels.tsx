'use client';
import dynamic from 'next/dynamic';
import { memo, useMemo } from 'react';
import { versionTag } from '@/lib/client/format';
import { mergeTimeline } from '@/lib/client/merge-timeline';
import { usePageClock, usePageLink, usePageSlice } from '@/lib/client/use-rollout-page';
import type { ExternalLink } from '@/lib/links/external-links';
import type { RolloutPage } from '@/lib/rollout/page-patch';
import { loadAt } from '@/lib/rollout/page-patch';
import type { RolloutView } from '@/lib/rollout/rollout-view';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { PanelSkeleton } from '../ui/panel-skeleton';
import { ActionBar, type ActionView } from './action-bar';
import type { AnalysisView } from './analysis-panel';
import { ChartsPanel } from './charts-panel';
import type { RevisionsView } from './revisions-table';
import { type HeaderView, RolloutHeader } from './rollout-header';
import { SloPanel } from './slo-panel';
import { StepsPanel, type StepsView } from './steps-panel';
import type { TopologyTraffic, TopologyView } from './topology-panel';
import { TrafficPanel, type TrafficView } from './traffic-panel';
import type { RolloutActions } from './use-rollout-actions';
import { TIMELINE_SHOWN, useTimeline } from './use-timeline';
import { useTraffic } from './use-traffic';

// The panels below the fold load after the page is interactive (each shows its title until then): they are not part
// of the page's first-load JS. The header, actions, steps, traffic and SLO panels are in it.
const TimelinePanel = dynamic(() => import('./timeline-panel').then((m) => m.TimelinePanel), {
  ssr: false,
  loading: () => <PanelSkeleton title="Timeline" />,
});
const FaultsPanel = dynamic(() => import('./faults-panel').then((m) => m.FaultsPanel), {
  ssr: false,
  loading: () => <PanelSkeleton title="Faults" />,
});
const LoadPanel = dynamic(() => import('./load-panel').then((m) => m.LoadPanel), {
  ssr: false,
  loading: () => <PanelSkeleton title="Load" />,
});
const TopologyPanel = dynamic(() => import('./topology-panel').then((m) => m.TopologyPanel), {
  ssr: false,
  loading: () => <PanelSkeleton title="Topology (last 60 s)" />,
});
const AnalysisPanel = dynamic(() => import('./analysis-panel').then((m) => m.AnalysisPanel), {
  ssr: false,
  loading: () => <PanelSkeleton title="Analysis runs" />,
});
const RevisionsTable = dynamic(() => import('./revisions-table').then((m) => m.RevisionsTable), {
  ssr: false,
  loading: () => <PanelSkeleton title="Revisions" />,
});

// Each panel below reads its own slice of the live page: a change renders again only the panels whose slice moved.
// The selectors are made once here (the cache reuses a selection while its function and input stay the same).

/** A selector of some of the view's fields (null when the rollout is gone). */
function fields<K extends keyof RolloutView>(...keys: K[]) {
  return (p: RolloutPage): Pick<RolloutView, K> | null => {
    const v = p.view;
    if (!v) return null;
    const out = {} as Pick<RolloutView, K>;
    for (const k of keys) out[k] = v[k];
    return out;
  };
}

const HEADER = fields(
  'namespace',
  'name',
  'phase',
  'message',
  'aborted',
  'paused',
  'revision',
  'stableImage',
  'canaryImage',
);
const ACTIONS = fields(
  'namespace',
  'name',
  'allowedActions',
  'stableImage',
  'canaryImage',
  'steps',
  'revisions',
);
const STEPS = fields('steps', 'canaryImage', 'pause');
const TRAFFIC = fields('canaryImage', 'setWeight', 'actualWeight', 'pods');
const TOPOLOGY = fields('revisions', 'canaryImage');
const ANALYSIS = fields('analysisRuns');
const REVISIONS = fields('revisions');
const CANARY = (p: RolloutPage): boolean => Boolean(p.view?.canaryImage);
const CANARY_TAG = (p: RolloutPage): string | null =>
  p.view?.canaryImage ? versionTag(p.view.canaryImage) : null;
const LOAD = (p: RolloutPage) => p.view?.load ?? null;
const FAULTS = (p: RolloutPage) => p.faults;
const EVENTS = (p: RolloutPage) => p.events;
const OBSERVED = (t: RolloutTraffic) => t.observed;
/** What the topology draws of the traffic: per version its service and last minute (not the charts' points). */
const EDGES = (t: RolloutTraffic): TopologyTraffic =>
  t.versions.map(({ role, service, recent }) => ({ role, service, recent }));
const RUNS_VERSION = (p: RolloutPage): string => p.runsVersion;
const RECENT = (p: RolloutPage) => p.recent;

export function LiveHeader({ links }: { links: ExternalLink[] }) {
  const view = usePageSlice<HeaderView | null>(HEADER);
  const link = usePageLink();
  return view ? <RolloutHeader view={view} live={link} links={links} /> : null;
}

export function LiveActionBar({ actions }: { actions: RolloutActions }) {
  const view = usePageSlice<ActionView | null>(ACTIONS);
  return view ? <ActionBar view={view} actions={actions} /> : null;
}

export function LiveSteps() {
  const view = usePageSlice<StepsView | null>(STEPS);
  const now = usePageClock();
  return view ? <StepsPanel view={view} now={now} /> : null;
}

export function LiveTraffic({ namespace, name }: { namespace: string; name: string }) {
  const view = usePageSlice<TrafficView | null>(TRAFFIC);
  const observed = useTraffic(namespace, name, OBSERVED);
  return view ? <TrafficPanel view={view} observed={observed.data} /> : null;
}

export function LiveSlo({ namespace, name }: { namespace: string; name: string }) {
  const canary = usePageSlice(CANARY);
  return <SloPanel namespace={namespace} name={name} canary={canary} />;
}

export function LiveCharts({ namespace, name }: { namespace: string; name: string }) {
  const traffic = useTraffic(namespace, name);
  return <ChartsPanel traffic={traffic.data} error={traffic.error?.message} />;
}

/** The stored timeline's read: renders again when the read's answer or the runs' version changes, not per change. */
export function LiveTimeline({ namespace, name }: { namespace: string; name: string }) {
  const stored = useTimeline(namespace, name, usePageSlice(RUNS_VERSION));
  return <StreamedTimeline items={stored.data?.items} />;
}

/** The stored history with what the stream brought since it was read (a change's own step, weight, phase, Event). */
const StreamedTimeline = memo(function StreamedTimeline({ items }: { items: TimelineEntry[] | undefined }) {
  const events = usePageSlice(EVENTS);
  const recent = usePageSlice(RECENT);
  const entries = useMemo(
    () => (items ? mergeTimeline(items, recent, TIMELINE_SHOWN) : undefined),
    [items, recent],
  );
  return <TimelinePanel entries={entries} events={events} />;
});

export function LiveFaults({
  namespace,
  name,
  actions,
}: {
  namespace: string;
  name: string;
  actions: RolloutActions;
}) {
  const canaryTag = usePageSlice(CANARY_TAG);
  const faults = usePageSlice(FAULTS);
  return (
    <FaultsPanel namespace={namespace} name={name} canaryTag={canaryTag} current={faults} actions={actions} />
  );
}

export function LiveLoad({
  namespace,
  name,
  actions,
  targets,
}: {
  namespace: string;
  name: string;
  actions: RolloutActions;
  targets: string[];
}) {
  const load = usePageSlice(LOAD);
  const now = usePageClock();
  return (
    <LoadPanel
      namespace={namespace}
      name={name}
      load={loadAt(load, now)}
      actions={actions}
      targets={targets}
    />
  );
}

export function LiveTopology({ namespace, name }: { namespace: string; name: string }) {
  const view = usePageSlice<TopologyView | null>(TOPOLOGY);
  const edges = useTraffic(namespace, name, EDGES);
  return view ? <TopologyPanel view={view} edges={edges.data} /> : null;
}

export function LiveAnalysis() {
  const view = usePageSlice<AnalysisView | null>(ANALYSIS);
  return view ? <AnalysisPanel view={view} /> : null;
}

export function LiveRevisions() {
  const view = usePageSlice<RevisionsView | null>(REVISIONS);
  return view ? <RevisionsTable view={view} /> : null;
}
