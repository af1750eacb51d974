'use client';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { versionTag } from '@/lib/client/format';
import { faultsOf, liveView, timeline } from '@/lib/client/select';
import { useLive } from '@/lib/client/use-live';
import { useNow } from '@/lib/client/use-now';
import type { ExternalLink } from '@/lib/links/external-links';
import type { RolloutView } from '@/lib/rollout/rollout-view';
import { ConnectivityBanner } from '../live/connectivity-banner';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState } from '../ui/empty-state';
import { ActionBar } from './action-bar';
import { AnalysisPanel } from './analysis-panel';
import { ChartsPanel } from './charts-panel';
import { FaultsPanel } from './faults-panel';
import { useKubeContext } from './kube-context';
import { LoadPanel } from './load-panel';
import { RevisionsTable } from './revisions-table';
import { RolloutHeader } from './rollout-header';
import { SloPanel } from './slo-panel';
import { StepsPanel } from './steps-panel';
import { TimelinePanel } from './timeline-panel';
import { TopologyPanel } from './topology-panel';
import { TrafficPanel } from './traffic-panel';
import { useRolloutActions } from './use-rollout-actions';
import { useTimeline } from './use-timeline';
import { useTraffic } from './use-traffic';

/**
 * One rollout, live: the server renders the view first; once the stream's snapshot is in, the view is rebuilt in the
 * browser from the streamed raw objects (rollout, ReplicaSets, AnalysisRuns, pods, VirtualService, Jobs) with the
 * same pure `rolloutView` the API uses, on every event; Events feed the timeline.
 */
export function RolloutLive({
  namespace,
  name,
  initialView,
  initialError,
  initialNow,
  links = [],
  loadTargets = [],
}: {
  namespace: string;
  name: string;
  initialView: RolloutView | null;
  initialError: string | null;
  initialNow: number;
  /** Argo CD, Rollouts, Grafana, Kiali and Prometheus for this rollout (from CONTROL_CENTER_CONFIG). */
  links?: ExternalLink[];
  /** The names of the configured load targets (the Load panel offers a choice when there are several). */
  loadTargets?: string[];
}) {
  const context = useKubeContext();
  const live = useLive(namespace, name, context);
  // The clock ticks every second only while something on the page counts (a timed pause, a running load); else
  // every 10 s for the relative times. An idle page does not re-render (50 open pages on a laptop stay cheap).
  const [counting, setCounting] = useState(true);
  const now = useNow(counting ? 1000 : 10_000, initialNow);
  const actions = useRolloutActions(namespace, name);
  const traffic = useTraffic(namespace, name);
  const view = useMemo(
    () => (live.synced ? liveView(live.objects, namespace, name, now) : initialView),
    [live.synced, live.objects, namespace, name, now, initialView],
  );
  const countsNow = Boolean(
    view?.pause?.resumesAt || view?.load?.state === 'running' || view?.load?.state === 'pending',
  );
  useEffect(() => setCounting(countsNow), [countsNow]);
  const runsVersion = live.objects.analysisrun.map((r) => r.metadata?.resourceVersion ?? '').join(',');
  const stored = useTimeline(
    namespace,
    name,
    `${view?.resourceVersion ?? ''}/${live.objects.event.length}/${runsVersion}`,
  );
  const events = useMemo(
    () => timeline(live.objects.event, namespace, name),
    [live.objects.event, namespace, name],
  );
  const faults = useMemo(
    () => faultsOf(live.objects.configmap, namespace),
    [live.objects.configmap, namespace],
  );

  if (!view)
    return (
      <>
        <ConnectivityBanner live={live} initialError={initialError} />
        <EmptyState title={live.synced ? `Rollout ${namespace}/${name} is gone` : 'Waiting for the cluster'}>
          <p>
            {live.synced
              ? 'It was deleted while you were looking. '
              : 'The control center cannot read this rollout yet. '}
            Back to the{' '}
            <Link className="underline" href="/">
              rollouts overview
            </Link>
            .
          </p>
        </EmptyState>
      </>
    );

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/" className="hover:underline">
          Rollouts
        </Link>{' '}
        / {context ? `${context} / ` : ''}
        {namespace} / {name}
      </nav>
      <ConnectivityBanner live={live} initialError={initialError} />
      <RolloutHeader view={view} live={live} links={links} />
      <ActionBar view={view} actions={actions} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
        <StepsPanel view={view} now={now} />
        <div className="space-y-4">
          <TrafficPanel view={view} observed={traffic.data?.observed} />
          <SloPanel namespace={namespace} name={name} canary={Boolean(view.canaryImage)} />
        </div>
      </div>
      <ChartsPanel traffic={traffic.data} error={traffic.error?.message} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_16rem_16rem]">
        <TimelinePanel entries={stored.data?.items} events={events} now={now} />
        <FaultsPanel
          namespace={namespace}
          name={name}
          canaryTag={view.canaryImage ? versionTag(view.canaryImage) : null}
          current={faults}
          actions={actions}
        />
        <LoadPanel
          namespace={namespace}
          name={name}
          load={view.load}
          actions={actions}
          targets={loadTargets}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <TopologyPanel view={view} traffic={traffic.data} />
        <AnalysisPanel view={view} now={now} />
        <div className="lg:col-span-2">
          <RevisionsTable view={view} now={now} />
        </div>
      </div>
      <ConfirmDialog request={actions.confirm} onClose={actions.closeConfirm} />
    </div>
  );
}
