import type Database from 'better-sqlite3';
import {
  ACTION_COLUMNS,
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
  SessionStore,
  TimelineEntry,
  TimelineScope,
} from '../types';
import { migrateSqlite, openSqlite } from './sqlite-migrate';
import { SqliteSessions } from './sqlite-sessions';

const INSERT_ACTION = `INSERT INTO actions (${ACTION_COLUMNS.join(', ')}) VALUES (${ACTION_COLUMNS.map((c) => `@${c}`).join(', ')})`;
const INSERT_TIMELINE =
  'INSERT OR IGNORE INTO timeline (key, at, namespace, rollout, kind, source, summary, details, context) VALUES (@key, @at, @namespace, @rollout, @kind, @source, @summary, @details, @context)';
const SELECT_TIMELINE =
  'SELECT key, at, namespace, rollout, kind, source, summary, details FROM timeline WHERE context IN (?, ?) AND namespace = ? AND rollout = ? AND at < ? ORDER BY at DESC, seq DESC LIMIT ?';

/**
 * The embedded store: one SQLite file (better-sqlite3; every call finishes before it returns, so the async methods
 * only wrap it). The sessions table is read on a connection of its own.
 */
export class SqliteStore implements ControlCenterStore {
  readonly kind = 'sqlite' as const;

  private constructor(
    /** The audit and timeline connection (tests close it to see what an unwritable store does). */
    readonly db: Database.Database,
    readonly sessions: SessionStore,
    private readonly closeSessions: boolean,
  ) {}

  /** Opens (creates, migrates) `file` with two connections: audit and timeline, and sessions. */
  static open(file: string): SqliteStore {
    const db = openSqlite(file);
    if (file === ':memory:') return new SqliteStore(db, new SqliteSessions(db), false);
    try {
      return new SqliteStore(db, new SqliteSessions(openSqlite(file)), true);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** A store over an open, migrated connection; sessions on `sessions`, or on the same connection. */
  static fromDb(db: Database.Database, sessions?: SessionStore): SqliteStore {
    return new SqliteStore(db, sessions ?? new SqliteSessions(db), false);
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.db);
  }

  async beginAction(r: ActionRecord): Promise<number> {
    return Number(this.db.prepare(INSERT_ACTION).run(actionRow(r, PENDING_STATUS)).lastInsertRowid);
  }

  async completeAction(id: number, r: ActionRecord, scope: TimelineScope): Promise<void> {
    const row = actionRow(r, finalStatus(r));
    const update = this.db.prepare(
      'UPDATE actions SET patch = @patch, target = @target, status = @status, error = @error WHERE id = @id',
    );
    // One transaction: the outcome and its timeline line are stored together or not at all.
    this.db
      .transaction(() => {
        update.run({ patch: row.patch, target: row.target, status: row.status, error: row.error, id });
        this.addActionTimeline(r, scope);
      })
      .immediate();
  }

  async logAction(r: ActionRecord, scope: TimelineScope): Promise<number> {
    const insert = this.db.prepare(INSERT_ACTION);
    return this.db
      .transaction(() => {
        const id = Number(insert.run(actionRow(r, finalStatus(r))).lastInsertRowid);
        this.addActionTimeline(r, scope);
        return id;
      })
      .immediate();
  }

  private addActionTimeline(r: ActionRecord, scope: TimelineScope): void {
    const entry = actionTimelineEntry(r);
    if (entry) this.insertTimeline(scope, [entry]);
  }

  async setActionCount(id: number, n: number): Promise<void> {
    this.db.prepare('UPDATE actions SET count = ? WHERE id = ?').run(n, id);
  }

  async queryAudit(q: AuditQuery): Promise<AuditEntry[]> {
    const f = auditFilter(q);
    const where: string[] = [];
    if (f.user) where.push("(subject = @user OR subject = @localUser OR (subject = '' AND actor = @user))");
    if (f.namespace) where.push('namespace = @namespace');
    if (f.action) where.push('action = @action');
    if (f.since) where.push('at >= @since');
    if (f.until) where.push('at <= @until');
    const sql = `SELECT id, at, subject, actor, role, action, context, namespace, rollout, request, patch, target, status, error, count FROM actions ${
      where.length ? `WHERE ${where.join(' AND ')}` : ''
    } ORDER BY at DESC, id DESC LIMIT @limit`;
    return this.db
      .prepare<Record<string, string | number>, StoredActionRow>(sql)
      .all({ ...f })
      .map(auditEntryOf);
  }

  async addTimeline(scope: TimelineScope, entries: TimelineEntry[]): Promise<number> {
    return this.insertTimeline(scope, entries);
  }

  private insertTimeline(scope: TimelineScope, entries: TimelineEntry[]): number {
    if (entries.length === 0) return 0;
    const insert = this.db.prepare<TimelineRow>(INSERT_TIMELINE);
    // IMMEDIATE: the write lock first (another process waits in the busy timeout), never a read upgraded later.
    return this.db
      .transaction(() => entries.reduce((n, e) => n + insert.run(timelineRow(scope, e)).changes, 0))
      .immediate();
  }

  async listTimeline(
    scope: TimelineScope,
    namespace: string,
    rollout: string,
    o: { before?: string; limit?: number } = {},
  ): Promise<TimelineEntry[]> {
    return this.db
      .prepare<[string, string, string, string, string, number], Omit<TimelineRow, 'context'>>(
        SELECT_TIMELINE,
      )
      .all(
        ...readContexts(scope),
        namespace,
        rollout,
        timelineBefore(o.before),
        o.limit ?? DEFAULT_TIMELINE_LIMIT,
      )
      .map((r) => timelineEntryOf(scope, r));
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    if (this.closeSessions && this.sessions instanceof SqliteSessions && this.sessions.db.open)
      this.sessions.db.close();
  }
}
