import type { RolloutView } from '@/lib/rollout/rollout-view';
import { Panel } from '../ui/panel';
import { WeightBar } from '../ui/weight-bar';

/** Set weight (what the step asks), the VirtualService weight (what routing does) and the stable/canary bar. */
export function TrafficPanel({ view }: { view: RolloutView }) {
  const inProgress = Boolean(view.canaryImage);
  const canary = inProgress ? (view.actualWeight ?? view.setWeight) : 0;
  return (
    <Panel title="Traffic">
      <dl className="mb-3 grid grid-cols-3 gap-3 text-sm">
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
