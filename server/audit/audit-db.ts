import 'server-only';
import path from 'node:path';
import Database from 'better-sqlite3';
import { env } from '../config/env';
import { privateDatabase } from '../files/private-files';

const SCHEMA = `
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

/** Adds the kube `context` column to databases written before contexts existed ('' = the only context then). */
function migrate(db: Database.Database): void {
  for (const table of ['timeline', 'actions']) {
    const cols = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!cols.some((c) => c.name === 'context'))
      db.exec(`ALTER TABLE ${table} ADD COLUMN context TEXT NOT NULL DEFAULT ''`);
  }
  migrateActionIdentity(db);
}

/**
 * Adds `subject` (the stable identity: `local:<user>`, `oidc:<issuer>#<sub>`; '' in rows written before it) and
 * `count` (how many refusals one aggregated row stands for; 1 otherwise) to the actions table.
 */
function migrateActionIdentity(db: Database.Database): void {
  const cols = db.prepare('PRAGMA table_info(actions)').all() as Array<{ name: string }>;
  if (!cols.some((c) => c.name === 'subject'))
    db.exec(`ALTER TABLE actions ADD COLUMN subject TEXT NOT NULL DEFAULT ''`);
  if (!cols.some((c) => c.name === 'count'))
    db.exec('ALTER TABLE actions ADD COLUMN count INTEGER NOT NULL DEFAULT 1');
  db.exec('CREATE INDEX IF NOT EXISTS actions_subject ON actions(subject, at)');
}

/**
 * Opens (and creates) the audit database: SQLite in WAL mode with synchronous=FULL, so a write is durable once it
 * returns (a killed process or a power cut keeps it).
 */
export function openAuditDb(file: string): Database.Database {
  if (file !== ':memory:') {
    // Sessions' actions and the audit trail: a 0700 folder and a 0600 database (SQLite gives -wal/-shm its mode).
    const fixed = privateDatabase(file);
    if (fixed.length)
      console.warn(`control center: made private (0700 folder, 0600 files): ${fixed.join(', ')}`);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  migrate(db);
  return db;
}

const KEY = Symbol.for('control-center.audit-db');
type Holder = { [KEY]?: Database.Database };

/** The process-wide audit database under CONTROL_CENTER_DATA_DIR (default `.data/`). */
export function auditDb(): Database.Database {
  const g = globalThis as Holder;
  g[KEY] ??= openAuditDb(path.resolve(env().CONTROL_CENTER_DATA_DIR ?? '.data', 'control-center.db'));
  return g[KEY];
}

/** Replaces the process-wide database (tests). */
export function setAuditDb(db: Database.Database | undefined): void {
  (globalThis as Holder)[KEY] = db;
}
