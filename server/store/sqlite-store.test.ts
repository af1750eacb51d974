import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from './contract';
import { connectSqlite, migrateSqlite, openSqlite, SQLITE_LATEST } from './sqlite/sqlite-migrate';
import { SqliteStore } from './sqlite/sqlite-store';
import { SINGLE_SCOPE } from './types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-sqlite-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(dir, `store-${n++}`, 'control-center.db');

storeContract('sqlite', async () => SqliteStore.open(fresh()));

/** The schema the control center wrote before contexts, subjects, refusal counts and versions existed. */
const OLDEST = `
  CREATE TABLE timeline (key TEXT PRIMARY KEY, at TEXT NOT NULL, namespace TEXT NOT NULL, rollout TEXT NOT NULL,
    kind TEXT NOT NULL, source TEXT NOT NULL, summary TEXT NOT NULL, details TEXT);
  CREATE INDEX timeline_rollout ON timeline(namespace, rollout, at);
  CREATE TABLE actions (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT,
    action TEXT NOT NULL, namespace TEXT NOT NULL, rollout TEXT NOT NULL, request TEXT, patch TEXT, target TEXT,
    status INTEGER NOT NULL, error TEXT);
  CREATE INDEX actions_rollout ON actions(namespace, rollout, at);
  CREATE INDEX actions_at ON actions(at);
  INSERT INTO timeline VALUES ('b-first', '2026-01-01T00:00:00.000Z', 'demo', 'webapp', 'step', 'controller', 'first', NULL);
  INSERT INTO timeline VALUES ('a-second', '2026-01-01T00:00:00.000Z', 'demo', 'webapp', 'phase', 'controller', 'second', '{"x":1}');
  INSERT INTO actions (at, actor, role, action, namespace, rollout, request, patch, target, status, error)
    VALUES ('2026-01-01T00:00:01.000Z', 'alice', 'operator', 'abort', 'demo', 'webapp', '{"r":1}', '{"spec":{}}', 'main', 200, NULL);
`;

describe('SQLite schema versions', () => {
  it('a database written before versions were kept is upgraded once and keeps its rows and their order', async () => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(OLDEST);
    expect(old.pragma('user_version', { simple: true })).toBe(0);
    old.close();

    const s = SqliteStore.open(file);
    expect(s.db.pragma('user_version', { simple: true })).toBe(SQLITE_LATEST);
    // The two old entries have equal times: the later-written one still comes first.
    expect(await s.listTimeline(SINGLE_SCOPE, 'demo', 'webapp')).toEqual([
      {
        key: 'a-second',
        at: '2026-01-01T00:00:00.000Z',
        namespace: 'demo',
        rollout: 'webapp',
        kind: 'phase',
        source: 'controller',
        summary: 'second',
        details: { x: 1 },
      },
      {
        key: 'b-first',
        at: '2026-01-01T00:00:00.000Z',
        namespace: 'demo',
        rollout: 'webapp',
        kind: 'step',
        source: 'controller',
        summary: 'first',
        details: undefined,
      },
    ]);
    expect(await s.listTimeline({ context: 'staging', readsUntagged: false }, 'demo', 'webapp')).toEqual([]);
    const [row] = await s.queryAudit({ user: 'alice', limit: 10, format: 'json' });
    expect(row).toMatchObject({
      id: 1,
      subject: '',
      actor: 'alice',
      context: '',
      count: 1,
      request: { r: 1 },
    });
    // New writes go on after the old rows.
    expect(
      await s.addTimeline(SINGLE_SCOPE, [
        {
          key: 'new',
          at: '2026-01-01T00:00:00.000Z',
          namespace: 'demo',
          rollout: 'webapp',
          kind: 'step',
          source: 'controller',
          summary: 'new',
        },
      ]),
    ).toBe(1);
    expect((await s.listTimeline(SINGLE_SCOPE, 'demo', 'webapp')).map((e) => e.key)).toEqual([
      'new',
      'a-second',
      'b-first',
    ]);
    expect(await s.sessions.liveOf('nobody', Date.now())).toBe(0);
    await s.close();

    // Opened again: nothing to do.
    const again = connectSqlite(file);
    expect(migrateSqlite(again)).toEqual({ from: SQLITE_LATEST, to: SQLITE_LATEST });
    again.close();
  });

  it('a database of a newer control center is refused, not written', () => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const newer = new Database(file);
    newer.pragma(`user_version = ${SQLITE_LATEST + 1}`);
    newer.close();
    expect(() => openSqlite(file)).toThrow(
      `the database's schema version ${SQLITE_LATEST + 1} is newer than this control center knows (${SQLITE_LATEST}): upgrade it`,
    );
  });

  it('both connections are WAL with synchronous=FULL; the folder is 0700 and the files 0600', async () => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, '', { mode: 0o644 });
    const s = SqliteStore.open(file);
    await s.sessions.create(
      { subject: 'local:a', name: 'a', provider: 'local', maxAgeSeconds: 60 },
      Date.now(),
    );
    const sessionsDb = (s.sessions as unknown as { db: Database.Database }).db;
    expect(sessionsDb).not.toBe(s.db);
    for (const db of [s.db, sessionsDb]) {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    }
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    // Closing the audit connection leaves the sessions readable (sign-in keeps working).
    s.db.close();
    await expect(s.ping()).rejects.toThrow(/not open/);
    await expect(
      s.beginAction({ action: 'abort', namespace: 'demo', name: 'webapp', body: null, at: 'x' }),
    ).rejects.toThrow();
    expect(await s.sessions.liveOf('a', Date.now())).toBe(1);
    await s.close();
  });
});
