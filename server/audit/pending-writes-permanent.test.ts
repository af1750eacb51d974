import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store/postgres/pg-query';
import { PendingWrites } from './pending-writes';

/** A batch the store refuses for good is dropped at once (counted, logged); what waits behind it is stored. */
function setup(write: (items: string[]) => void) {
  const logs: string[] = [];
  let dropped = 0;
  let tries = 0;
  const q = new PendingWrites<string>(
    async (items) => {
      tries++;
      write(items);
    },
    {
      name: 'test',
      firstBackoffMs: 5,
      maxBackoffMs: 20,
      onDropped: (n) => {
        dropped += n;
      },
      log: (l) => logs.push(l),
    },
  );
  return { q, logs, dropped: () => dropped, tries: () => tries };
}

describe('PendingWrites and errors that never pass', () => {
  it('a real SQLite constraint error drops the batch at once; the next batch is stored', async () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE t (v TEXT NOT NULL CHECK (v <> 'bad'))");
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const s = setup((items) =>
      db.transaction(() => {
        for (const v of items) insert.run(v);
      })(),
    );
    await Promise.all([s.q.add(['bad', 'x']), s.q.add(['good'])]);
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual(['good']);
    expect(s.dropped()).toBe(2);
    expect(s.tries()).toBe(2);
    expect(s.q.pendingItems()).toBe(0);
    expect(s.logs).toEqual([
      expect.stringMatching(
        /^test: 2 entries dropped: the store refuses them for good \(CHECK constraint failed/,
      ),
    ]);
    db.close();
  });

  it('a PostgreSQL data exception wrapped by the store (22021, NUL in text) is dropped, not retried', async () => {
    // The driver's error as pg raises it for a NUL byte (a real one needs a server that refuses the bytes).
    const pgError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
    });
    let first = true;
    const stored: string[] = [];
    const s = setup((items) => {
      if (first) {
        first = false;
        throw new StoreUnavailableError(pgError);
      }
      stored.push(...items);
    });
    await Promise.all([s.q.add(['nul']), s.q.add(['next'])]);
    expect(stored).toEqual(['next']);
    expect(s.dropped()).toBe(1);
    expect(s.tries()).toBe(2);
  });

  it('a transient error (disk full, connection lost) is still retried until the store takes it', async () => {
    let fails = 2;
    const stored: string[] = [];
    const s = setup((items) => {
      if (fails-- > 0)
        throw new StoreUnavailableError(
          Object.assign(new Error('terminating connection'), { code: '57P01' }),
        );
      stored.push(...items);
    });
    await s.q.add(['a']);
    expect(stored).toEqual(['a']);
    expect(s.dropped()).toBe(0);
    expect(s.tries()).toBe(3);
  });
});
