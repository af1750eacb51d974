'use client';
import { memo, useState } from 'react';
import { percent } from '@/lib/client/format';
import { Button } from '../ui/button';
import { Panel } from '../ui/panel';
import { useActionReason } from './identity-access';
import type { RolloutActions } from './use-rollout-actions';

const input =
  'w-24 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm tabular-nums dark:border-zinc-700 dark:bg-zinc-900';

/** Canary-only faults (error rate %, added latency ms): Apply / Clear, both confirmed; shows what is set now. */
export const FaultsPanel = memo(function FaultsPanel({
  namespace,
  name,
  canaryTag,
  current,
  actions,
}: {
  namespace: string;
  name: string;
  /** The canary's version tag (faults are keyed by it), or null when no canary runs. */
  canaryTag: string | null;
  current: Record<string, { errorRate?: number; latencyMs?: number }>;
  actions: RolloutActions;
}) {
  const [errorPct, setErrorPct] = useState('10');
  const [latency, setLatency] = useState('0');
  const who = `${namespace}/${name}`;
  const denied = useActionReason(namespace)('faults');
  const rate = Number(errorPct) / 100;
  const ms = Number(latency);
  const invalid =
    !Number.isFinite(rate) || rate < 0 || rate > 1
      ? 'error rate must be 0..100 %'
      : !Number.isInteger(ms) || ms < 0 || ms > 60_000
        ? 'latency must be a whole number 0..60000 ms'
        : rate === 0 && ms === 0
          ? 'set an error rate or a latency above 0'
          : null;
  const active = Object.entries(current).filter(([, f]) => (f.errorRate ?? 0) > 0 || (f.latencyMs ?? 0) > 0);
  const noCanary = canaryTag ? null : 'no canary is running (launch one first)';
  return (
    <Panel title="Faults">
      <div className="space-y-2 text-sm">
        <label className="flex items-center justify-between gap-2">
          <span>Canary errors (%)</span>
          <input
            className={input}
            type="number"
            min={0}
            max={100}
            step={1}
            value={errorPct}
            onChange={(e) => setErrorPct(e.target.value)}
          />
        </label>
        <label className="flex items-center justify-between gap-2">
          <span>Canary added latency (ms)</span>
          <input
            className={input}
            type="number"
            min={0}
            max={60000}
            step={50}
            value={latency}
            onChange={(e) => setLatency(e.target.value)}
          />
        </label>
        <div className="flex gap-2 pt-1">
          <Button
            variant="danger"
            disabledReason={denied ?? noCanary ?? invalid}
            disabled={actions.busy !== null}
            onClick={() =>
              actions.ask({
                title: `Inject faults into the canary of ${who}?`,
                body: (
                  <>
                    Canary version <code>{canaryTag}</code> answers {percent(rate)} of requests with errors
                    {ms > 0 ? ` and adds ${ms} ms latency` : ''}. Real users on the canary share see this.
                  </>
                ),
                confirmLabel: 'Apply faults',
                danger: true,
                onConfirm: () =>
                  void actions.run(
                    'faults',
                    { scope: 'canary', errorRate: rate, latencyMs: ms },
                    `Faults on ${who}`,
                  ),
              })
            }
          >
            Apply
          </Button>
          <Button
            disabledReason={denied ?? (active.length ? null : 'no faults are set')}
            disabled={actions.busy !== null}
            onClick={() =>
              actions.ask({
                title: `Clear the faults of ${who}?`,
                body: <>Removes the canary fault settings; requests behave normally again.</>,
                confirmLabel: 'Clear faults',
                onConfirm: () =>
                  void actions.run('faults', { scope: 'canary', clear: true }, `Clear faults on ${who}`),
              })
            }
          >
            Clear
          </Button>
        </div>
        <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="faults-now">
          {active.length
            ? `Now: ${active.map(([tag, f]) => `${tag} ${percent(f.errorRate ?? 0)} errors, +${f.latencyMs ?? 0} ms`).join('; ')}`
            : 'Now: no faults set.'}
        </p>
      </div>
    </Panel>
  );
});
