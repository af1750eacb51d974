'use client';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { usePageLink, usePageSlice } from '@/lib/client/use-rollout-page';
import type { ExternalLink } from '@/lib/links/external-links';
import type { RolloutPage } from '@/lib/rollout/page-patch';
import type { RolloutView } from '@/lib/rollout/rollout-view';
import { ConnectivityBanner } from '../live/connectivity-banner';
import { EmptyState } from '../ui/empty-state';
import { useKubeContext } from './kube-context';
import {
  LiveActionBar,
  LiveAnalysis,
  LiveCharts,
  LiveFaults,
  LiveHeader,
  LiveLoad,
  LiveRevisions,
  LiveSlo,
  LiveSteps,
  LiveTimeline,
  LiveTopology,
  LiveTraffic,
} from './live-panels';
import { RolloutPageScope } from './rollout-page-scope';
import { useRolloutActions } from './use-rollout-actions';

// The confirmation dialog is needed only once an action asks for it: its code loads after the page is interactive.
const ConfirmDialog = dynamic(() => import('../ui/confirm-dialog').then((m) => m.ConfirmDialog), {
  ssr: false,
});

const EXISTS = (p: RolloutPage): boolean => p.view !== null;
/** Rendered only while in view; until first shown it stands as 24rem tall, then as tall as it last was. */
const BELOW_FOLD = '[content-visibility:auto] [contain-intrinsic-size:auto_24rem]';

/**
 * One rollout, live: the server renders the view first; then the page's stream brings the page as the server
 * projects it (lib/rollout/rollout-page.ts), whole on connect and as deltas after, into the query cache. Each panel
 * reads its own slice, so a change renders again only the panels it touches; the browser interprets no raw object.
 */
export function RolloutLive(props: {
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
  return (
    <RolloutPageScope
      context={context}
      namespace={props.namespace}
      name={props.name}
      initialView={props.initialView}
      initialNow={props.initialNow}
    >
      <RolloutPageBody {...props} />
    </RolloutPageScope>
  );
}

function RolloutPageBody({
  namespace,
  name,
  initialError,
  links = [],
  loadTargets = [],
}: {
  namespace: string;
  name: string;
  initialError: string | null;
  links?: ExternalLink[];
  loadTargets?: string[];
}) {
  const context = useKubeContext();
  const exists = usePageSlice(EXISTS);
  const link = usePageLink();
  const actions = useRolloutActions(namespace, name);

  if (!exists)
    return (
      <>
        <ConnectivityBanner live={link} initialError={initialError} />
        <EmptyState title={link.synced ? `Rollout ${namespace}/${name} is gone` : 'Waiting for the cluster'}>
          <p>
            {link.synced
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
      <ConnectivityBanner live={link} initialError={initialError} />
      <LiveHeader links={links} />
      <LiveActionBar actions={actions} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
        <LiveSteps />
        <div className="space-y-4">
          <LiveTraffic namespace={namespace} name={name} />
          <LiveSlo namespace={namespace} name={name} />
        </div>
      </div>
      <LiveCharts namespace={namespace} name={name} />
      {/* The rows below the fold are laid out and painted only while in view (content-visibility: auto): a live
          change to the timeline or the revisions costs nothing until the user scrolls to them. */}
      <div className={`${BELOW_FOLD} grid gap-4 lg:grid-cols-[minmax(0,1fr)_16rem_16rem]`}>
        <LiveTimeline namespace={namespace} name={name} />
        <LiveFaults namespace={namespace} name={name} actions={actions} />
        <LiveLoad namespace={namespace} name={name} actions={actions} targets={loadTargets} />
      </div>
      <div className={`${BELOW_FOLD} grid gap-4 lg:grid-cols-2`}>
        <LiveTopology namespace={namespace} name={name} />
        <LiveAnalysis />
        <div className="lg:col-span-2">
          <LiveRevisions />
        </div>
      </div>
      <ConfirmDialog request={actions.confirm} onClose={actions.closeConfirm} />
    </div>
  );
}
