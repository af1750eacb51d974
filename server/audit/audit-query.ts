import 'server-only';
import type Database from 'better-sqlite3';
import type { AuditEntry, AuditQuery } from '@/lib/schemas/audit';

export type { AuditEntry };

type Row = Omit<AuditEntry, 'request' | 'patch'> & { request: string | null; patch: string | null };

const json = (s: string | null): unknown => {
  if (s === null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
};

/** A filter time as stored (UTC ISO); a bare date means its whole day. */
function utc(t: string, edge: 'start' | 'end'): string {
  if (/^\d{4}-\d\d-\d\d$/.test(t)) return `${t}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(t).toISOString();
}

/** The audit log, newest first, filtered by user (subject), namespace, action and time (all optional). */
export function queryAudit(db: Database.Database, q: AuditQuery): AuditEntry[] {
  const where: string[] = [];
  const args: Record<string, string | number> = { limit: q.limit };
  if (q.user) {
    // By the stable subject (a bare name means the local user); older entries without one by their name.
    where.push("(subject = @user OR subject = 'local:' || @user OR (subject = '' AND actor = @user))");
    args.user = q.user;
  }
  if (q.namespace) {
    where.push('namespace = @namespace');
    args.namespace = q.namespace;
  }
  if (q.action) {
    where.push('action = @action');
    args.action = q.action;
  }
  if (q.since) {
    where.push('at >= @since');
    args.since = utc(q.since, 'start');
  }
  if (q.until) {
    where.push('at <= @until');
    args.until = utc(q.until, 'end');
  }
  const sql = `SELECT id, at, subject, actor, role, action, context, namespace, rollout, request, patch, target, status, error, count FROM actions ${
    where.length ? `WHERE ${where.join(' AND ')}` : ''
  } ORDER BY at DESC, id DESC LIMIT @limit`;
  return db
    .prepare<Record<string, string | number>, Row>(sql)
    .all(args)
    .map((r) => ({ ...r, request: json(r.request), patch: json(r.patch) }));
}
