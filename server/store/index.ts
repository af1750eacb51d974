import 'server-only';
import path from 'node:path';
import { env } from '../config/env';
import { postgresStoreFromEnv } from './postgres/select';
import { SqliteStore } from './sqlite/sqlite-store';
import type { ControlCenterStore } from './types';

export type { ControlCenterStore } from './types';

/** The embedded database file: CONTROL_CENTER_DATA_DIR (default `.data/`)/control-center.db. */
export const sqliteFile = (): string =>
  path.resolve(env().CONTROL_CENTER_DATA_DIR ?? '.data', 'control-center.db');

/**
 * Opens the process's store. An implementation is ready to use when returned, or waits for its own migration before
 * its first query; it never needs a second call.
 */
function openStore(): ControlCenterStore {
  // PostgreSQL (DATABASE_URL, shared by replicas) when it is set; otherwise the embedded file (one replica only).
  return postgresStoreFromEnv() ?? SqliteStore.open(sqliteFile());
}

const KEY = Symbol.for('control-center.store');
type Holder = { [KEY]?: ControlCenterStore };

/** The process-wide store of the audit log, the decision timeline and the sessions, opened on first use. */
export function store(): ControlCenterStore {
  const g = globalThis as Holder;
  g[KEY] ??= openStore();
  return g[KEY];
}

/** The store if one is open (without opening one). */
export const currentStore = (): ControlCenterStore | undefined => (globalThis as Holder)[KEY];

/** Replaces the process-wide store (tests); undefined: the next `store()` opens the configured one. */
export function setStore(s: ControlCenterStore | undefined): void {
  (globalThis as Holder)[KEY] = s;
}
