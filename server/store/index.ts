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
 * Opens the configured store (the runtime opens it once, on first use). An implementation is ready to use when returned, or waits for its own migration before
 * its first query; it never needs a second call.
 */
export function openStore(): ControlCenterStore {
  // PostgreSQL (DATABASE_URL, shared by replicas) when it is set; otherwise the embedded file (one replica only).
  return postgresStoreFromEnv() ?? SqliteStore.open(sqliteFile());
}
