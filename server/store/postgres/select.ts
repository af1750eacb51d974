import { env, redactDatabaseUrl } from '../../config/env';
import type { ControlCenterStore } from '../types';
import { PgStore } from './pg-store';

/**
 * The PostgreSQL store when DATABASE_URL is set (replicas share it), else undefined (the embedded SQLite file).
 * The URL is logged without its password.
 */
export function postgresStoreFromEnv(
  url: string | undefined = env().DATABASE_URL,
): ControlCenterStore | undefined {
  if (!url) return undefined;
  console.log(`store: PostgreSQL at ${redactDatabaseUrl(url)}`);
  return PgStore.open(url);
}
