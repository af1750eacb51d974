'use client';
import Link from 'next/link';
import { memo } from 'react';
import { shortImage } from '@/lib/client/format';
import { rolloutPageUrl } from '@/lib/client/rollout-urls';
import { rowKey } from '@/lib/client/select';
import { toneOf } from '@/lib/client/tone';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ProgressBar } from '../ui/progress-bar';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';
import { SloCell } from './slo-cell';

const td = 'px-3 py-2 align-middle whitespace-nowrap overflow-hidden text-ellipsis';
/** Every row is this tall (one line each; the virtualised table counts on it and measures nothing). */
export const ROW_PX = 41;

function StepCell({ s }: { s: RolloutSummary }) {
  if (!s.step) return <span className="text-zinc-500">—</span>;
  const shown = Math.min(s.step.index + (s.step.index < s.step.total ? 1 : 0), s.step.total);
  return (
    <div className="flex min-w-0 items-center gap-2">
      <span className="tabular-nums">
        step {shown}/{s.step.total}
      </span>
      <ProgressBar value={s.step.index} max={s.step.total} label={`step ${shown} of ${s.step.total}`} />
    </div>
  );
}

function WeightCell({ s }: { s: RolloutSummary }) {
  if (!s.canaryImage) return <span className="text-stable">stable 100 %</span>;
  const w = s.actualWeight ?? s.setWeight;
  return <span className="text-canary">canary {w} %</span>;
}

/**
 * One rollout row, one line high: name, phase (with the controller's message beside it, cut short; whole in its
 * title), step, weight, SLO, images stable → canary, age. The row element carries only its place, so a row that moved
 * (another one sorted in above it) updates two attributes; its cells are memoised and render again only when its
 * summary (a new object only when the stream changed it), its SLO switch or the columns change (its age ticks on its own).
 */
export const RolloutRow = memo(function RolloutRow({
  s,
  index,
  sloEnabled,
  showContext,
}: {
  s: RolloutSummary;
  /** Its place in the whole list (0-based), for `aria-rowindex`. */
  index: number;
  sloEnabled: boolean;
  showContext: boolean;
}) {
  return (
    <tr
      style={ROW_STYLE}
      data-index={index}
      aria-rowindex={index + 2}
      data-testid={`row-${rowKey(s)}`}
      className="border-b border-zinc-100 last:border-0 hover:bg-zinc-50 dark:border-zinc-900 dark:hover:bg-zinc-900"
    >
      <RowCells s={s} sloEnabled={sloEnabled} showContext={showContext} />
    </tr>
  );
});

/**
 * Each row is composited on its own (`will-change`): when a row sorts in above it (a pause puts a rollout at the top),
 * the rows it pushes down keep their painted pixels and move as layers.
 */
const ROW_STYLE = { height: ROW_PX, willChange: 'transform' } as const;

const RowCells = memo(function RowCells({
  s,
  sloEnabled,
  showContext,
}: {
  s: RolloutSummary;
  sloEnabled: boolean;
  showContext: boolean;
}) {
  return (
    <>
      {showContext ? (
        <td className={`${td} whitespace-nowrap font-mono text-xs`}>{s.context ?? '—'}</td>
      ) : null}
      <td className={td}>
        {/* No prefetch: a screenful of rows would each fetch its rollout page's route as it scrolls into view (and
            watch for it on every mount); the page loads on click. */}
        <Link
          href={rolloutPageUrl(s.namespace, s.name, s.context)}
          prefetch={false}
          className="font-medium hover:underline"
        >
          <span className="text-zinc-500">{s.namespace}/</span>
          {s.name}
        </Link>
      </td>
      <td className={td}>
        <div className="flex min-w-0 items-center gap-2">
          <StatusBadge label={s.aborted ? `${s.phase} · aborted` : s.phase} tone={toneOf(s.phase)} />
          {s.message && s.phase !== 'Healthy' ? (
            <span className="min-w-0 truncate text-xs text-zinc-500" title={s.message}>
              {s.message}
            </span>
          ) : null}
        </div>
      </td>
      <td className={td}>
        <StepCell s={s} />
      </td>
      <td className={`${td} whitespace-nowrap tabular-nums`}>
        <WeightCell s={s} />
      </td>
      <td className={td}>
        <SloCell namespace={s.namespace} name={s.name} context={s.context} enabled={sloEnabled} />
      </td>
      <td className={`${td} whitespace-nowrap font-mono text-xs`}>
        <span className="text-stable" title={s.stableImage ?? undefined}>
          {shortImage(s.stableImage)}
        </span>
        {s.canaryImage ? (
          <>
            <span className="px-1 text-zinc-400">→</span>
            <span className="text-canary" title={s.canaryImage}>
              {shortImage(s.canaryImage)}
            </span>
          </>
        ) : null}
      </td>
      <td className={`${td} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
        <RelativeTime iso={s.createdAt} />
      </td>
    </>
  );
});
