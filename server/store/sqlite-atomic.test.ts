import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action } from './contract';
import { SqliteStore } from './sqlite/sqlite-store';
import { SINGLE_SCOPE } from './types';

/** An outcome and its timeline line are one write: when the timeline insert fails, the action row is left as it was. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-sqlite-atomic-'));
let s: SqliteStore;
beforeAll(() => {
  s = SqliteStore.open(path.join(dir, 'control-center.db'));
});
afterAll(async () => {
  await s?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rec = (namespace: string) => action({ namespace });

/** Makes every timeline insert fail in the database itself (as a full disk or a lock would) while `fn` runs. */
async function timelineRefused(fn: () => Promise<unknown>): Promise<void> {
  s.db.exec(
    "CREATE TRIGGER refuse_timeline BEFORE INSERT ON timeline BEGIN SELECT RAISE(ABORT, 'timeline refused'); END",
  );
  try {
    await expect(fn()).rejects.toThrow('timeline refused');
  } finally {
    s.db.exec('DROP TRIGGER refuse_timeline');
  }
}

describe('SQLite store: an action and its timeline line together', () => {
  it('completeAction: a failed timeline insert leaves the intent row pending', async () => {
    const r = rec('ns-atomic-complete');
    const id = await s.beginAction(r);
    await timelineRefused(() =>
      s.completeAction(
        id,
        { ...r, outcome: { result: {}, patch: { a: 1 }, target: '/status', patches: [] } },
        SINGLE_SCOPE,
      ),
    );
    const [row] = await s.queryAudit({ namespace: 'ns-atomic-complete', limit: 10, format: 'json' });
    expect(row).toMatchObject({ id, status: 0, patch: null, target: null });
    expect(await s.listTimeline(SINGLE_SCOPE, 'ns-atomic-complete', 'webapp')).toEqual([]);
  });

  it('logAction: a failed timeline insert stores no action row either', async () => {
    const r = { ...rec('ns-atomic-log'), error: { status: 409, code: 'conflict', message: 'not paused' } };
    await timelineRefused(() => s.logAction(r, SINGLE_SCOPE));
    expect(await s.queryAudit({ namespace: 'ns-atomic-log', limit: 10, format: 'json' })).toEqual([]);
    await s.logAction(r, SINGLE_SCOPE);
    expect(await s.queryAudit({ namespace: 'ns-atomic-log', limit: 10, format: 'json' })).toHaveLength(1);
    expect(await s.listTimeline(SINGLE_SCOPE, 'ns-atomic-log', 'webapp')).toHaveLength(1);
  });
});
