import pg from 'pg';

/** Bounds of every store connection: a database that does not answer refuses the call instead of holding it. */
export interface PgPoolOptions {
  /** Connections per process (default 5). */
  max?: number;
  /** How long to wait for a connection, new or from the pool (default 3 s). */
  connectionTimeoutMillis?: number;
  /** Server-side limit of one statement (default 5 s). */
  statementTimeoutMillis?: number;
  /** Where an error of an idle connection is reported (default console.error). */
  onIdleError?: (err: Error) => void;
}

/** int8 (BIGINT ids, ms times, count(*)) as a JavaScript number: every value the store keeps is far below 2^53. */
const INT8_OID = 20;
const types = new pg.TypeOverrides();
types.setTypeParser(INT8_OID, (v: string) => Number(v));

/**
 * A pool of connections to `url`. An error of an idle connection (the server restarted, the network dropped it) is
 * reported and the connection dropped; it never crashes the process (pg emits it on the pool, and an unhandled
 * 'error' event would).
 */
export function createPgPool(url: string, opts: PgPoolOptions = {}): pg.Pool {
  const statementTimeout = opts.statementTimeoutMillis ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 5,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 3000,
    statement_timeout: statementTimeout,
    // The client's own bound, for a server that stops answering without closing the connection.
    query_timeout: statementTimeout + 1000,
    idle_in_transaction_session_timeout: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'control-center',
    types,
  });
  const report =
    opts.onIdleError ??
    ((err: Error) =>
      console.error('store: a PostgreSQL connection failed while idle (dropped):', err.message));
  pool.on('error', report);
  return pool;
}
