import 'server-only';
import type Database from 'better-sqlite3';
import { runtime } from '../runtime/current';
import { openSqlite } from '../store/sqlite/sqlite-migrate';
import { SqliteStore } from '../store/sqlite/sqlite-store';

/**
 * The SQLite connection under the audit log, for tests that swap or close it (server/store/ holds the store itself).
 */

/**
 * Opens (creates, migrates) a SQLite database file as the control center does: WAL with synchronous=FULL, so a write
 * is durable once it returns; a 0700 folder and a 0600 file.
 */
export function openAuditDb(file: string): Database.Database {
  return openSqlite(file);
}

/** The audit log's connection of the process's SQLite store. */
export function auditDb(): Database.Database {
  const s = runtime().store();
  if (!(s instanceof SqliteStore)) throw new Error('the store is not SQLite');
  return s.db;
}

/** Puts the audit log and timeline on `db` (tests); the sessions stay where they were. undefined: the configured store. */
export function setAuditDb(db: Database.Database | undefined): void {
  runtime().useStore(db ? SqliteStore.fromDb(db, runtime().store().sessions) : undefined);
}
