import Database from 'better-sqlite3';
import { privateDatabase } from '../../../support/files/private-files';
import { latestVersion, type Migration, pendingMigrations } from '../migrations';

type Db = Database.Database;

/** How long a connection waits for another process's write lock (better-sqlite3's default, said explicitly). */
const BUSY_TIMEOUT_MS = 5000;
/** How long opening retries a lock SQLite refuses at once (a first open of a file by several processes). */
const OPEN_RETRY_MS = 30_000;

const isBusy = (err: unknown): boolean =>
  String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');

/**
 * Runs `step` again while SQLite answers SQLITE_BUSY, for at most OPEN_RETRY_MS. SQLite answers BUSY without waiting
 * when waiting could deadlock: two processes that both read a fresh file and then both want to write it (switching
 * it to WAL); the one refused must let go of its read and try again.
 */
function retryBusy<T>(step: () => T): T {
  const deadline = Date.now() + OPEN_RETRY_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return step();
    } catch (err) {
      if (!isBusy(err) || Date.now() + pause > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
}

/** The schema as it was before versions were kept (`CREATE … IF NOT EXISTS`: a no-op on such a database). */
const BASELINE = `
  CREATE TABLE IF NOT EXISTS timeline (
    key TEXT PRIMARY KEY, at TEXT NOT NULL, namespace TEXT NOT NULL, rollout TEXT NOT NULL,
    kind TEXT NOT NULL, source TEXT NOT NULL, summary TEXT NOT NULL, details TEXT
  );
  CREATE INDEX IF NOT EXISTS timeline_rollout ON timeline(namespace, rollout, at);
  CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT,
    action TEXT NOT NULL, namespace TEXT NOT NULL, rollout TEXT NOT NULL, request TEXT, patch TEXT, target TEXT,
    status INTEGER NOT NULL, error TEXT
  );
  CREATE INDEX IF NOT EXISTS actions_rollout ON actions(namespace, rollout, at);
  CREATE INDEX IF NOT EXISTS actions_at ON actions(at);
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, subject TEXT NOT NULL, name TEXT NOT NULL, provider TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER, revoked_by TEXT,
    groups TEXT, groups_checked_at INTEGER, oidc_tokens TEXT
  );
  CREATE INDEX IF NOT EXISTS sessions_subject ON sessions(subject);
  CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires_at);
`;

const hasColumn = (db: Db, table: string, column: string): boolean =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some((c) => c.name === column);

/**
 * Version 1, the baseline: today's tables, and the columns added to databases written before they existed - the kube
 * `context` of timeline and actions ('' = the only context then), the stable `subject` of an action ('' in rows
 * written before it) and the `count` of an aggregated refusal row (1 otherwise).
 */
function baseline(db: Db): void {
  db.exec(BASELINE);
  for (const table of ['timeline', 'actions'])
    if (!hasColumn(db, table, 'context'))
      db.exec(`ALTER TABLE ${table} ADD COLUMN context TEXT NOT NULL DEFAULT ''`);
  if (!hasColumn(db, 'actions', 'subject'))
    db.exec(`ALTER TABLE actions ADD COLUMN subject TEXT NOT NULL DEFAULT ''`);
  if (!hasColumn(db, 'actions', 'count'))
    db.exec('ALTER TABLE actions ADD COLUMN count INTEGER NOT NULL DEFAULT 1');
  db.exec('CREATE INDEX IF NOT EXISTS actions_subject ON actions(subject, at)');
}

/**
 * Version 2: the timeline gets an explicit `seq` (a rowid alias, AUTOINCREMENT so it only grows) for the tie-break
 * of entries with equal times; the implicit rowid it replaces could change on VACUUM. Existing rows keep their order.
 */
function timelineSeq(db: Db): void {
  db.exec(`
    CREATE TABLE timeline_v2 (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, at TEXT NOT NULL, namespace TEXT NOT NULL,
      rollout TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, summary TEXT NOT NULL, details TEXT,
      context TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO timeline_v2 (seq, key, at, namespace, rollout, kind, source, summary, details, context)
      SELECT rowid, key, at, namespace, rollout, kind, source, summary, details, context FROM timeline ORDER BY rowid;
    DROP TABLE timeline;
    ALTER TABLE timeline_v2 RENAME TO timeline;
    CREATE INDEX timeline_rollout ON timeline(namespace, rollout, at, seq);
  `);
}

export const SQLITE_MIGRATIONS: ReadonlyArray<Migration<Db>> = [
  { version: 1, name: 'baseline: actions, timeline and sessions', up: baseline },
  { version: 2, name: 'timeline: explicit seq for the order of equal times', up: timelineSeq },
];

export const SQLITE_LATEST = latestVersion(SQLITE_MIGRATIONS);

const versionOf = (db: Db): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Brings the database to the latest version: under BEGIN IMMEDIATE (the write lock; a second process waits in the
 * busy timeout) it reads `user_version`, applies the missing steps and sets the version, all in one transaction. A
 * database written before versions were kept (tables, version 0) goes through the baseline, which only adds what it
 * lacks. Returns the versions it went from and to.
 */
export function migrateSqlite(db: Db): { from: number; to: number } {
  return retryBusy(() => {
    const seen = versionOf(db);
    if (seen === SQLITE_LATEST) return { from: seen, to: seen };
    return db
      .transaction(() => {
        const from = versionOf(db);
        const steps = pendingMigrations(SQLITE_MIGRATIONS, from);
        for (const m of steps) m.up(db);
        if (steps.length) db.pragma(`user_version = ${SQLITE_LATEST}`);
        return { from, to: SQLITE_LATEST };
      })
      .immediate();
  });
}

/**
 * Opens (and creates) a database file without migrating it: WAL, synchronous=FULL (a write is durable once it
 * returns: a killed process or a power cut keeps it), a 0700 folder and a 0600 file.
 */
export function connectSqlite(file: string): Db {
  if (file !== ':memory:') {
    // Sessions and the audit trail: SQLite gives -wal/-shm the database file's mode.
    const fixed = privateDatabase(file);
    if (fixed.length)
      console.warn(`control center: made private (0700 folder, 0600 files): ${fixed.join(', ')}`);
  }
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    retryBusy(() => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = FULL');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Opens (and creates) the control center's database file and brings it to the latest schema version. */
export function openSqlite(file: string): Db {
  const db = connectSqlite(file);
  try {
    migrateSqlite(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
