import type { RolloutView } from '@/lib/rollout/rollout-view';
import type { ObservedShare } from '@/lib/rollout/traffic-chart';
import { Panel } from '../ui/panel';
import { WeightBar } from '../ui/weight-bar';

/** What the panel shows of the view (it renders again only when these change). */
export type TrafficView = Pick<RolloutView, 'canaryImage' | 'setWeight' | 'actualWeight' | 'pods'>;

/**
 * Set weight (what the step asks), the VirtualService weight (what routing does), the share the canary actually
 * served over the last minute (from metrics) and the stable/canary bar.
 */
export function TrafficPanel({
  view,
  observed,
}: {
  view: TrafficView;
  observed: ObservedShare | null | undefined;
}) {
  const inProgress = Boolean(view.canaryImage);
  const canary = inProgress ? (view.actualWeight ?? view.setWeight) : 0;
  return (
    <Panel title="Traffic">
      <dl className="mb-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-zinc-500">Set weight</dt>
          <dd className="tabular-nums" data-testid="set-weight">
            {inProgress ? `${view.setWeight} %` : '— (no canary)'}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">VirtualService (actual)</dt>
          <dd className="tabular-nums" data-testid="actual-weight">
            {view.actualWeight === null ? '—' : `${view.actualWeight} %`}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Observed (last {observed?.seconds ?? 60} s)</dt>
          <dd
            className="tabular-nums"
            data-testid="observed-weight"
            title={
              observed
                ? `${observed.requests.toLocaleString('en-US')} requests`
                : 'no traffic in the last minute'
            }
          >
            {observed ? `${observed.canaryPercent.toFixed(1)} %` : '—'}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Pods ready</dt>
          <dd className="tabular-nums">
            {view.pods.ready}/{view.pods.total}
          </dd>
        </div>
      </dl>
      <WeightBar canary={canary} />
    </Panel>
  );
}
