'use client';
import { memo, useState } from 'react';
import { clockDuration } from '@/lib/client/format';
import type { LoadProgress } from '@/lib/rollout/load-progress';
import { Button } from '../ui/button';
import { Panel } from '../ui/panel';
import { ProgressBar } from '../ui/progress-bar';
import { StatusBadge } from '../ui/status-badge';
import { useActionReason } from './identity-access';
import type { RolloutActions } from './use-rollout-actions';

const input =
  'w-24 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm tabular-nums dark:border-zinc-700 dark:bg-zinc-900';

/**
 * Synthetic load through the gateway: rps and duration, the target (by name, when several are configured),
 * Start/Stop, and the running Job's progress.
 */
export const LoadPanel = memo(function LoadPanel({
  namespace,
  name,
  load,
  actions,
  targets = [],
}: {
  namespace: string;
  name: string;
  load: LoadProgress | null;
  actions: RolloutActions;
  /** The configured load targets' names (CONTROL_CENTER_CONFIG `loadTargets`); the first is the default. */
  targets?: string[];
}) {
  const [rps, setRps] = useState('20');
  const [duration, setDuration] = useState('300');
  const [target, setTarget] = useState(targets[0] ?? '');
  const who = `${namespace}/${name}`;
  const denied = useActionReason(namespace)('load');
  const r = Number(rps);
  const d = Number(duration);
  const invalid =
    !Number.isInteger(r) || r < 1 || r > 500
      ? 'rps must be a whole number 1..500'
      : !Number.isInteger(d) || d < 1 || d > 3600
        ? 'duration must be 1..3600 s'
        : null;
  const running = load?.state === 'running' || load?.state === 'pending';
  return (
    <Panel title="Load">
      <div className="space-y-2 text-sm">
        <label className="flex items-center justify-between gap-2">
          <span>Requests per second</span>
          <input
            className={input}
            type="number"
            min={1}
            max={500}
            value={rps}
            onChange={(e) => setRps(e.target.value)}
          />
        </label>
        <label className="flex items-center justify-between gap-2">
          <span>Duration (s)</span>
          <input
            className={input}
            type="number"
            min={1}
            max={3600}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        {targets.length > 1 ? (
          <label className="flex items-center justify-between gap-2">
            <span>Target</span>
            <select className={input} value={target} onChange={(e) => setTarget(e.target.value)}>
              {targets.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="flex gap-2 pt-1">
          <Button
            variant="primary"
            disabledReason={denied ?? (running ? 'a load run is already going' : invalid)}
            disabled={actions.busy !== null}
            onClick={() =>
              void actions.run(
                'load',
                { rps: r, durationSeconds: d, ...(targets.length > 1 ? { target } : {}) },
                `Load on ${who}`,
              )
            }
          >
            Start
          </Button>
          <Button
            disabledReason={denied ?? (running ? null : 'no load is running')}
            disabled={actions.busy !== null}
            onClick={() => void actions.run('load', { stop: true }, `Stop load on ${who}`)}
          >
            Stop
          </Button>
        </div>
        {load ? (
          <div className="space-y-1 pt-1" data-testid="load-progress">
            <div className="flex items-center gap-2 text-xs">
              <StatusBadge label={load.state} />
              <span className="tabular-nums">
                {load.rps} rps · {clockDuration(load.elapsedSeconds)} / {clockDuration(load.durationSeconds)}
              </span>
            </div>
            <ProgressBar
              value={Math.round(load.fraction * 100)}
              max={100}
              label={`load ${Math.round(load.fraction * 100)} % done`}
              className="w-full"
            />
          </div>
        ) : (
          <p className="text-xs text-zinc-500">No load run yet.</p>
        )}
      </div>
    </Panel>
  );
});
