import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../testing/postgres';
import { MIGRATION_LOCK } from './postgres/pg-migrate';
import { PgStore } from './postgres/pg-store';

/**
 * A migration waits for another process' migration (the advisory lock) up to its own statement timeout, not the
 * pool's few-second client-side query timeout.
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

/** Polls `check` until it is true; fails loudly after `ms`. */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('PostgreSQL migration and the advisory lock', () => {
  it('waits past the pool query timeout while another connection holds the lock, then migrates', async () => {
    const url = await server.createDatabase();
    const holder = new pg.Client({ connectionString: url });
    // A second connection watches: inside the holder's transaction pg_stat_activity and now() stand still.
    const watch = new pg.Client({ connectionString: url });
    await holder.connect();
    await watch.connect();
    const store = PgStore.open(url);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      let settled = false;
      const migrating = store.migrate().finally(() => {
        settled = true;
      });
      migrating.catch(() => {});
      // Held until the migration has waited for the lock longer than the pool's query timeout (6 s) would allow.
      await until('the migration to wait 8 s for the lock', 30_000, async () => {
        if (settled) return true;
        const { rows } = await watch.query<{ waited: boolean }>(
          `SELECT clock_timestamp() - query_start > interval '8 seconds' AS waited FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'`,
        );
        return rows.some((r) => r.waited);
      });
      expect(settled).toBe(false);
      await holder.query('COMMIT');
      await migrating;
      const { rows } = await holder.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await holder.end();
      await watch.end();
      await store.close();
    }
  });
});
