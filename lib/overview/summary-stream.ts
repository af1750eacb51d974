import type { RolloutSummary } from '@/lib/rollout/rollout-view';

/**
 * The overview's stream (`/api/v1/stream?shape=summary`): every rollout's row on connect (SNAPSHOT), then per change
 * the rows it changed (DELTA: `upsert` by key, `remove` by key) from revision `base` to `rev`; a resume whose rows did
 * not change since its last event id gets UNCHANGED with the revision they are at.
 */
export type SummaryMessage =
  | { type: 'SNAPSHOT'; rev: number; rows: RolloutSummary[] }
  | { type: 'DELTA'; rev: number; base: number; upsert: RolloutSummary[]; remove: string[] }
  | { type: 'UNCHANGED'; rev: number };

export type SummaryDelta = Extract<SummaryMessage, { type: 'DELTA' }>;

/** A row's key in the stream (one kube context per stream). */
export const summaryKey = (s: Pick<RolloutSummary, 'namespace' | 'name'>): string =>
  `${s.namespace}/${s.name}`;

/** The rows a browser holds: in the order they came (new rows at the end), with each key's place. */
export interface SummaryTable {
  rows: RolloutSummary[];
  at: ReadonlyMap<string, number>;
  rev: number | null;
}

export const emptyTable = (): SummaryTable => ({ rows: [], at: new Map(), rev: null });

const indexOf = (rows: readonly RolloutSummary[]) => new Map(rows.map((r, i) => [summaryKey(r), i]));

/** `tag` on every row (the kube context, when the control center watches several), or the rows as they are. */
const tagged = (rows: RolloutSummary[], tag: string | undefined) =>
  tag === undefined ? rows : rows.map((r) => ({ ...r, context: tag }));

/**
 * Applies summary messages in order (pure). A SNAPSHOT replaces the rows; a DELTA applies on the revision it was made
 * from: an upserted row takes its key's place (the other rows and the array's order stay, so the sorted view moves only
 * that row), a new key goes to the end, removed keys leave; a delta at or below the rows' revision was applied already
 * and is skipped. `resync`: a revision was missed (or nothing to resume on):
 * start over from a fresh snapshot. Messages that change nothing return the same table.
 */
export function applySummaryMessages(
  table: SummaryTable,
  msgs: readonly SummaryMessage[],
  tag?: string,
): { table: SummaryTable; resync: boolean } {
  let t = table;
  for (const m of msgs) {
    if (m.type === 'SNAPSHOT') {
      const rows = tagged(m.rows, tag);
      t = { rows, at: indexOf(rows), rev: m.rev };
      continue;
    }
    // A delta already applied (a stream resumed from an older event id than the rows are at replays it): nothing to do.
    if (m.type === 'DELTA' && t.rev !== null && m.rev <= t.rev) continue;
    if (t.rev === null || (m.type === 'DELTA' && m.base !== t.rev)) return { table: t, resync: true };
    if (m.type === 'UNCHANGED') {
      if (m.rev !== t.rev) t = { ...t, rev: m.rev };
      continue;
    }
    let rows = t.rows.slice();
    let at = t.at;
    let grown = false;
    for (const r of tagged(m.upsert, tag)) {
      const i = at.get(summaryKey(r));
      if (i !== undefined) rows[i] = r;
      else {
        if (!grown) at = new Map(at);
        grown = true;
        (at as Map<string, number>).set(summaryKey(r), rows.push(r) - 1);
      }
    }
    if (m.remove.length) {
      const gone = new Set(m.remove);
      rows = rows.filter((r) => !gone.has(summaryKey(r)));
      at = indexOf(rows);
    }
    t = { rows, at, rev: m.rev };
  }
  return { table: t, resync: false };
}
