import { describe, expect, it } from 'vitest';
import { applySummaryMessages, emptyTable, type SummaryMessage } from './summary-stream';
import { row } from './testing/rows';

const a = row('ns1', 'a');
const b = row('ns1', 'b');
const c = row('ns2', 'c');
const snapshot: SummaryMessage = { type: 'SNAPSHOT', rev: 10, rows: [a, b, c] };

describe('applySummaryMessages', () => {
  it('replaces a changed row in its place and keeps every other row the same object', () => {
    const { table } = applySummaryMessages(emptyTable(), [snapshot]);
    const b2 = row('ns1', 'b', { phase: 'Paused', paused: true });
    const next = applySummaryMessages(table, [
      { type: 'DELTA', rev: 11, base: 10, upsert: [b2], remove: [] },
    ]);
    expect(next.resync).toBe(false);
    expect(next.table.rows).toEqual([a, b2, c]);
    expect(next.table.rows[0]).toBe(a);
    expect(next.table.rows[1]).toBe(b2);
    expect(next.table.rows[2]).toBe(c);
    expect(next.table.rev).toBe(11);
    expect(table.rows[1]).toBe(b); // the table before is untouched
  });

  it('adds a new key at the end and drops removed keys, keeping each key findable', () => {
    const { table } = applySummaryMessages(emptyTable(), [snapshot]);
    const d = row('ns3', 'd');
    const next = applySummaryMessages(table, [
      { type: 'DELTA', rev: 11, base: 10, upsert: [d], remove: [] },
      { type: 'DELTA', rev: 12, base: 11, upsert: [], remove: ['ns1/a'] },
      { type: 'DELTA', rev: 13, base: 12, upsert: [row('ns2', 'c', { revision: 2 })], remove: [] },
    ]).table;
    expect(next.rows.map((r) => `${r.name}${r.revision}`)).toEqual(['b1', 'c2', 'd1']);
    expect([...next.at]).toEqual([
      ['ns1/b', 0],
      ['ns2/c', 1],
      ['ns3/d', 2],
    ]);
  });

  it('asks for a fresh snapshot when a delta was made from another revision or there is nothing to apply it on', () => {
    const { table } = applySummaryMessages(emptyTable(), [snapshot]);
    const gap = applySummaryMessages(table, [
      { type: 'DELTA', rev: 13, base: 12, upsert: [], remove: ['ns1/a'] },
    ]);
    expect(gap.resync).toBe(true);
    expect(gap.table).toBe(table);
    expect(applySummaryMessages(emptyTable(), [{ type: 'UNCHANGED', rev: 5 }]).resync).toBe(true);
  });

  it('skips deltas it applied already (a stream resumed from an older event id replays them) and applies the rest', () => {
    const { table } = applySummaryMessages(emptyTable(), [snapshot]);
    const b2 = row('ns1', 'b', { phase: 'Paused', paused: true });
    const b3 = row('ns1', 'b', { phase: 'Healthy' });
    const applied = applySummaryMessages(table, [
      { type: 'DELTA', rev: 11, base: 10, upsert: [b2], remove: [] },
    ]);
    const replayed = applySummaryMessages(applied.table, [
      { type: 'DELTA', rev: 11, base: 10, upsert: [b2], remove: [] },
      { type: 'DELTA', rev: 12, base: 11, upsert: [b3], remove: [] },
    ]);
    expect(replayed.resync).toBe(false);
    expect(replayed.table.rows[1]).toBe(b3);
    expect(replayed.table.rev).toBe(12);
  });

  it('takes the revision of an UNCHANGED resume and keeps the rows; tags rows with their context', () => {
    const { table } = applySummaryMessages(emptyTable(), [snapshot], 'prod');
    expect(table.rows.map((r) => r.context)).toEqual(['prod', 'prod', 'prod']);
    const same = applySummaryMessages(table, [{ type: 'UNCHANGED', rev: 20 }], 'prod').table;
    expect(same.rows).toBe(table.rows);
    expect(same.rev).toBe(20);
    expect(applySummaryMessages(same, [{ type: 'UNCHANGED', rev: 20 }]).table).toBe(same);
  });
});
