import type pg from 'pg';

/** One statement on the pool (or on a transaction's connection). */
export type PgQuery = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params?: unknown[],
) => Promise<pg.QueryResult<R>>;

/** A database error as the store reports it: says it is PostgreSQL's, never carries the connection string. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`PostgreSQL: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

const wrap = (err: unknown): never => {
  throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(err);
};

/** Statements on any pooled connection. */
export const poolQuery =
  (pool: pg.Pool): PgQuery =>
  (sql, params) =>
    pool.query(sql, params).catch(wrap);

/**
 * Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. A connection
 * whose ROLLBACK failed is closed, not returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (query: PgQuery) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch(wrap);
  const query: PgQuery = (sql, params) => client.query(sql, params).catch(wrap);
  let broken: Error | undefined;
  try {
    await query('BEGIN');
    const value = await fn(query);
    await query('COMMIT');
    return value;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
