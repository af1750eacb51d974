'use client';
import { useRef } from 'react';
import { rowKey } from '@/lib/client/select';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ROW_PX, RolloutRow } from './rollout-row';
import { useRowWindow } from './use-row-window';

const th = 'px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-zinc-500';
/** Rendered beyond the visible rows on each side, so a scroll by a few rows shows rows already there. */
const OVERSCAN = 8;
/**
 * The scroll box's height assumed before the browser has laid it out (the server's render and the first in the
 * browser, which must agree): the first screenful of rows is in the HTML.
 */
const INITIAL_HEIGHT = 720;

/**
 * Rollout rows in a scroll box, virtualised: only the rows in view (and a few around) are in the DOM, spacer rows
 * stand for the rest, so 10,000 rollouts cost the browser what a screenful does. Rows have one fixed height: which
 * rows show is arithmetic on the scroll offset (`useRowWindow`), a change measures nothing, and a row that changed
 * re-renders alone (RolloutRow is memoised, keyed by the rollout). The box is painted on its own and composited
 * (`isolate`, `will-change`): the "Needs attention" table appearing above it moves it without painting it again.
 * Columns have fixed widths (`table-fixed`, cells cut short), so a changed cell lays out its row, not the table. Every
 * row stays reachable by scrolling (and by the search, which filters all rows); `aria-rowcount` / `aria-rowindex`
 * tell assistive technology the whole table's size and each row's place.
 */
export function RolloutTable({
  rows,
  caption,
  sloKeys,
  showContext = false,
}: {
  rows: RolloutSummary[];
  caption: string;
  sloKeys: ReadonlySet<string>;
  /** Several kube contexts are configured: a Context column. */
  showContext?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { start, end, above, below } = useRowWindow(box, rows.length, ROW_PX, OVERSCAN, INITIAL_HEIGHT);
  const columns = showContext ? 8 : 7;
  return (
    <div
      ref={box}
      className="relative isolate will-change-transform max-h-[70vh] overflow-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950"
    >
      <table className="w-full min-w-[64rem] table-fixed text-sm" aria-rowcount={rows.length + 1}>
        <caption className="sr-only">{caption}</caption>
        <colgroup>
          {showContext ? <col className="w-32" /> : null}
          <col />
          <col className="w-56" />
          <col className="w-40" />
          <col className="w-32" />
          <col className="w-32" />
          <col className="w-60" />
          <col className="w-24" />
        </colgroup>
        <thead className="sticky top-0 z-10 border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
          <tr aria-rowindex={1}>
            {showContext ? <th className={th}>Context</th> : null}
            <th className={th}>Rollout</th>
            <th className={th}>Phase</th>
            <th className={th}>Step</th>
            <th className={th}>Traffic</th>
            <th className={th}>SLO</th>
            <th className={th}>Images</th>
            <th className={th}>Age</th>
          </tr>
        </thead>
        <tbody>
          {above > 0 ? (
            <tr>
              <td aria-hidden="true" colSpan={columns} style={{ height: above, padding: 0 }} />
            </tr>
          ) : null}
          {rows.slice(start, end).map((s, i) => (
            <RolloutRow
              key={rowKey(s)}
              s={s}
              index={start + i}
              sloEnabled={sloKeys.has(rowKey(s))}
              showContext={showContext}
            />
          ))}
          {below > 0 ? (
            <tr>
              <td aria-hidden="true" colSpan={columns} style={{ height: below, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
