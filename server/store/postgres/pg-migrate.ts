import type pg from 'pg';

/**
 * The PostgreSQL schema, one entry per version, applied in order and each once. The columns are the SQLite
 * store's; times stay ISO text (`at`) with the byte order of SQLite (COLLATE "C"), so both sort alike.
 */
export const PG_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE actions (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL,
        role TEXT,
        action TEXT NOT NULL,
        namespace TEXT NOT NULL,
        rollout TEXT NOT NULL,
        request TEXT,
        patch TEXT,
        target TEXT,
        status INTEGER NOT NULL,
        error TEXT,
        context TEXT NOT NULL DEFAULT '',
        count INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX actions_rollout ON actions (namespace, rollout, at);
      CREATE INDEX actions_at ON actions (at);
      CREATE INDEX actions_subject ON actions (subject, at);
      CREATE TABLE timeline (
        key TEXT PRIMARY KEY,
        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        at TEXT COLLATE "C" NOT NULL,
        namespace TEXT NOT NULL,
        rollout TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        summary TEXT NOT NULL,
        details TEXT,
        context TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX timeline_rollout ON timeline (namespace, rollout, at);
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        name TEXT NOT NULL,
        provider TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_by TEXT,
        groups TEXT,
        groups_checked_at BIGINT,
        oidc_tokens TEXT
      );
      CREATE INDEX sessions_subject ON sessions (subject);
      CREATE INDEX sessions_expires ON sessions (expires_at);
    `,
  },
];

/** The advisory lock every migrating process takes first (one number for this application's schema). */
export const MIGRATION_LOCK = 7_136_402_915;

/** The statement timeout of a migration's transaction: waiting for another process' migration may take long. */
const MIGRATION_STATEMENT_TIMEOUT_S = 60;

/**
 * Brings the database to the latest version in ONE transaction: the advisory lock first (so processes starting at
 * once migrate one after the other; creating the same table concurrently fails on pg_type even with IF NOT EXISTS),
 * then the versions table, then each missing version. Returns the versions this call applied.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  // The pool's client-side query_timeout (a few seconds) would cut the wait for the lock short: a migration's
  // statements get a bound of their own, just past the server's statement timeout.
  const query = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const config: pg.QueryConfig & { query_timeout: number } = {
      text,
      ...(values ? { values } : {}),
      query_timeout: (MIGRATION_STATEMENT_TIMEOUT_S + 5) * 1000,
    };
    return client.query<R>(config);
  };
  let broken: Error | undefined;
  try {
    await query('BEGIN');
    await query(`SET LOCAL statement_timeout = '${MIGRATION_STATEMENT_TIMEOUT_S}s'`);
    await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await query(m.sql);
      await query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
      applied.push(m.version);
    }
    await query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
