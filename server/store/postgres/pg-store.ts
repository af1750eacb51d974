import type pg from 'pg';
import {
  ACTION_COLUMNS,
  type ActionRow,
  actionRow,
  actionTimelineEntry,
  auditEntryOf,
  auditFilter,
  DEFAULT_TIMELINE_LIMIT,
  finalStatus,
  PENDING_STATUS,
  readContexts,
  type StoredActionRow,
  type TimelineRow,
  timelineBefore,
  timelineEntryOf,
  timelineRow,
} from '../audit-rows';
import type {
  ActionRecord,
  AuditEntry,
  AuditQuery,
  ControlCenterStore,
  TimelineEntry,
  TimelineScope,
} from '../types';
import { migratePostgres } from './pg-migrate';
import { createPgPool, type PgPoolOptions } from './pg-pool';
import { inTransaction, type PgQuery, poolQuery, StoreUnavailableError } from './pg-query';
import { PgSessions } from './pg-sessions';

const INSERT_ACTION = `INSERT INTO actions (${ACTION_COLUMNS.join(', ')}) VALUES (${ACTION_COLUMNS.map(
  (_, i) => `$${i + 1}`,
).join(', ')}) RETURNING id`;

const TIMELINE_COLUMNS = [
  'key',
  'at',
  'namespace',
  'rollout',
  'kind',
  'source',
  'summary',
  'details',
  'context',
] as const satisfies ReadonlyArray<keyof TimelineRow>;

/**
 * Entries as one statement, each once by key (a key already stored is skipped), in the given order: `seq` grows in
 * that order, so equal times read back later-written first.
 */
const INSERT_TIMELINE = `INSERT INTO timeline (${TIMELINE_COLUMNS.join(', ')})
  SELECT ${TIMELINE_COLUMNS.join(', ')}
  FROM unnest(${TIMELINE_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) WITH ORDINALITY
    AS t(${TIMELINE_COLUMNS.join(', ')}, ord)
  ORDER BY ord
  ON CONFLICT (key) DO NOTHING`;

const SELECT_TIMELINE = `SELECT key, at, namespace, rollout, kind, source, summary, details FROM timeline
  WHERE context IN ($1, $2) AND namespace = $3 AND rollout = $4 AND at < $5
  ORDER BY at DESC, seq DESC LIMIT $6`;

const AUDIT_COLUMNS =
  'id, at, subject, actor, role, action, context, namespace, rollout, request, patch, target, status, error, count';

/**
 * The control center's store on PostgreSQL, shared by every replica: the same tables, columns and answers as the
 * SQLite store. Every call rejects (StoreUnavailableError) when the database cannot be reached within the pool's
 * bounds (3 s to connect, 5 s per statement).
 */
export class PgStore implements ControlCenterStore {
  readonly kind = 'postgres' as const;
  readonly sessions: PgSessions;
  private readonly query: PgQuery;
  private migrated = false;
  private migrating: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {
    const query = poolQuery(pool);
    this.query = async (sql, params) => {
      await this.ready();
      return query(sql, params);
    };
    this.sessions = new PgSessions(this.query);
  }

  /** A store on its own pool of connections to `url`; it migrates the schema before its first query. */
  static open(url: string, opts?: PgPoolOptions): PgStore {
    return new PgStore(createPgPool(url, opts));
  }

  async migrate(): Promise<void> {
    await this.ready();
  }

  /**
   * The schema is migrated once per store, before the first query; a failed attempt (the database was down) is
   * tried again by the next call.
   */
  private ready(): Promise<void> {
    if (this.migrated) return Promise.resolve();
    this.migrating ??= migratePostgres(this.pool).then(
      () => {
        this.migrated = true;
      },
      (err: unknown) => {
        this.migrating = undefined;
        throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(err);
      },
    );
    return this.migrating;
  }

  private async transaction<T>(fn: (query: PgQuery) => Promise<T>): Promise<T> {
    await this.ready();
    return inTransaction(this.pool, fn);
  }

  async beginAction(r: ActionRecord): Promise<number> {
    return insertAction(this.query, actionRow(r, PENDING_STATUS));
  }

  async completeAction(id: number, r: ActionRecord, scope: TimelineScope): Promise<void> {
    const row = actionRow(r, finalStatus(r));
    await this.transaction(async (query) => {
      await query('UPDATE actions SET patch = $1, target = $2, status = $3, error = $4 WHERE id = $5', [
        row.patch,
        row.target,
        row.status,
        row.error,
        id,
      ]);
      await insertTimeline(query, scope, timelineOf(r));
    });
  }

  async logAction(r: ActionRecord, scope: TimelineScope): Promise<number> {
    const entries = timelineOf(r);
    const row = actionRow(r, finalStatus(r));
    if (entries.length === 0) return insertAction(this.query, row);
    return this.transaction(async (query) => {
      const id = await insertAction(query, row);
      await insertTimeline(query, scope, entries);
      return id;
    });
  }

  async setActionCount(id: number, n: number): Promise<void> {
    await this.query('UPDATE actions SET count = $1 WHERE id = $2', [n, id]);
  }

  async queryAudit(q: AuditQuery): Promise<AuditEntry[]> {
    const f = auditFilter(q);
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (f.user !== undefined && f.localUser !== undefined) {
      const user = arg(f.user);
      where.push(
        `(subject = ${user} OR subject = ${arg(f.localUser)} OR (subject = '' AND actor = ${user}))`,
      );
    }
    if (f.namespace !== undefined) where.push(`namespace = ${arg(f.namespace)}`);
    if (f.action !== undefined) where.push(`action = ${arg(f.action)}`);
    if (f.since !== undefined) where.push(`at >= ${arg(f.since)}`);
    if (f.until !== undefined) where.push(`at <= ${arg(f.until)}`);
    const sql = `SELECT ${AUDIT_COLUMNS} FROM actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at DESC, id DESC LIMIT ${arg(f.limit)}`;
    const res = await this.query<StoredActionRow>(sql, args);
    return res.rows.map(auditEntryOf);
  }

  async addTimeline(s: TimelineScope, e: TimelineEntry[]): Promise<number> {
    return insertTimeline(this.query, s, e);
  }

  async listTimeline(
    s: TimelineScope,
    namespace: string,
    rollout: string,
    o: { before?: string; limit?: number } = {},
  ): Promise<TimelineEntry[]> {
    const res = await this.query<Omit<TimelineRow, 'context'>>(SELECT_TIMELINE, [
      ...readContexts(s),
      namespace,
      rollout,
      timelineBefore(o.before),
      o.limit ?? DEFAULT_TIMELINE_LIMIT,
    ]);
    return res.rows.map((r) => timelineEntryOf(s, r));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const timelineOf = (r: ActionRecord): TimelineEntry[] => {
  const e = actionTimelineEntry(r);
  return e ? [e] : [];
};

async function insertAction(query: PgQuery, row: ActionRow): Promise<number> {
  const res = await query<{ id: number }>(
    INSERT_ACTION,
    ACTION_COLUMNS.map((c) => row[c]),
  );
  const id = res.rows[0]?.id;
  if (typeof id !== 'number') throw new Error('PostgreSQL returned no id for the new audit row');
  return id;
}

async function insertTimeline(
  query: PgQuery,
  scope: TimelineScope,
  entries: TimelineEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => timelineRow(scope, e));
  const res = await query(
    INSERT_TIMELINE,
    TIMELINE_COLUMNS.map((c) => rows.map((r) => r[c])),
  );
  return res.rowCount ?? 0;
}
