import { ACTIONS, isActionName } from '@/lib/actions/catalogue';
import type { ActionRecord, AuditEntry, AuditQuery, TimelineEntry, TimelineScope } from './types';

/** Row shaping shared by every store implementation: what goes into a column and what comes back out of one. */

/** Past tense of an action for its timeline line, from the action catalogue (an unknown name as it is). */
export const pastTense = (action: string): string => (isActionName(action) ? ACTIONS[action].past : action);

/** The status of an intent row until its outcome is written (a row left so means the outcome is unknown). */
export const PENDING_STATUS = 0;

/**
 * Text as a column takes it: PostgreSQL's text refuses the NUL character (SQLite keeps it), so NUL becomes U+FFFD in
 * every store alike. JSON text needs nothing: JSON.stringify writes NUL as the escape `\u0000`, which text columns
 * take (no column is jsonb, which would refuse it).
 */
export const columnText = (s: string): string => s.replaceAll('\u0000', '\uFFFD');
const columnTextOrNull = (s: string | null): string | null => (s === null ? null : columnText(s));

/** A request body as stored: refused bodies may be anything a client sent, so past 4 KiB only its start is kept. */
export const MAX_REQUEST = 4096;
export function requestText(body: unknown): string {
  const s = JSON.stringify(body ?? null);
  return s.length <= MAX_REQUEST ? s : JSON.stringify({ truncated: true, start: s.slice(0, MAX_REQUEST) });
}

/** The columns of one `actions` row (every implementation has these columns, plus `id`). */
export interface ActionRow {
  at: string;
  subject: string;
  actor: string;
  role: string | null;
  action: string;
  namespace: string;
  rollout: string;
  request: string;
  patch: string | null;
  target: string | null;
  status: number;
  error: string | null;
  context: string;
  count: number;
}

/** The column order of an `actions` insert. */
export const ACTION_COLUMNS = [
  'at',
  'subject',
  'actor',
  'role',
  'action',
  'namespace',
  'rollout',
  'request',
  'patch',
  'target',
  'status',
  'error',
  'context',
  'count',
] as const satisfies ReadonlyArray<keyof ActionRow>;

export function actionRow(rec: ActionRecord, status: number): ActionRow {
  return {
    at: columnText(rec.at),
    subject: columnText(rec.subject ?? ''),
    actor: columnText(rec.actor ?? 'anonymous'),
    role: columnTextOrNull(rec.role ?? null),
    action: columnText(rec.action.slice(0, 63)),
    namespace: columnText(rec.namespace.slice(0, 253)),
    rollout: columnText(rec.name.slice(0, 253)),
    request: requestText(rec.body),
    patch: rec.outcome ? JSON.stringify(rec.outcome.patches ?? rec.outcome.patch) : null,
    target: columnTextOrNull(rec.outcome?.target ?? null),
    status,
    error: rec.error ? columnText(`${rec.error.code}: ${rec.error.message}`) : null,
    context: columnText(rec.context ?? ''),
    count: rec.count ?? 1,
  };
}

/** The status a finished record is stored with (its error's, else 200). */
export const finalStatus = (rec: ActionRecord): number => rec.error?.status ?? 200;

function summarizePatch(patch: unknown): string {
  const s = JSON.stringify(patch ?? null);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** The timeline line of a finished action or refusal; null when the record is audit-only (`timeline: false`). */
export function actionTimelineEntry(rec: ActionRecord): TimelineEntry | null {
  if (rec.timeline === false) return null;
  const actor = rec.actor ?? 'anonymous';
  const verb = pastTense(rec.action);
  const summary = rec.error
    ? `${actor} tried to ${rec.action}: refused (${rec.error.status} ${rec.error.message})`
    : `${actor} ${verb} ${rec.name} (${rec.outcome?.target ?? ''}: ${summarizePatch(rec.outcome?.patch)})`;
  return {
    key: `action/${rec.namespace}/${rec.name}/${rec.at}/${rec.action}`,
    at: rec.at,
    namespace: rec.namespace,
    rollout: rec.name,
    kind: 'action',
    source: 'user',
    summary,
    details: {
      actor,
      subject: rec.subject ?? null,
      role: rec.role ?? null,
      action: rec.action,
      request: rec.body ?? null,
      patch: rec.outcome?.patches ?? null,
      error: rec.error ?? null,
    },
  };
}

/** A stored JSON column read back; text that is not JSON comes back as it is. */
export function jsonColumn(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

/** An `actions` row as read (request and patch still text). */
export type StoredActionRow = Omit<AuditEntry, 'request' | 'patch'> & {
  request: string | null;
  patch: string | null;
};

export const auditEntryOf = (r: StoredActionRow): AuditEntry => ({
  id: Number(r.id),
  at: r.at,
  subject: r.subject,
  actor: r.actor,
  role: r.role,
  action: r.action,
  context: r.context,
  namespace: r.namespace,
  rollout: r.rollout,
  request: jsonColumn(r.request),
  patch: jsonColumn(r.patch),
  target: r.target,
  status: Number(r.status),
  error: r.error,
  count: Number(r.count),
});

/** A filter time as stored (UTC ISO); a bare date means its whole day. */
export function utcFilterTime(t: string, edge: 'start' | 'end'): string {
  if (/^\d{4}-\d\d-\d\d$/.test(t)) return `${t}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(t).toISOString();
}

/**
 * The audit filters as every implementation applies them: `user` matches the stable subject (a bare name means
 * the local user `local:<name>`) or, in rows written before subjects were kept (subject ''), the actor's name;
 * `since`/`until` are inclusive UTC bounds on `at`.
 */
export interface AuditFilter {
  user?: string;
  localUser?: string;
  namespace?: string;
  action?: string;
  since?: string;
  until?: string;
  limit: number;
}

export function auditFilter(q: AuditQuery): AuditFilter {
  return {
    ...(q.user ? { user: q.user, localUser: `local:${q.user}` } : {}),
    ...(q.namespace ? { namespace: q.namespace } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.since ? { since: utcFilterTime(q.since, 'start') } : {}),
    ...(q.until ? { until: utcFilterTime(q.until, 'end') } : {}),
    limit: q.limit,
  };
}

/** The columns of one `timeline` row (plus the implementation's sequence column for the tie-break). */
export interface TimelineRow {
  key: string;
  at: string;
  namespace: string;
  rollout: string;
  kind: string;
  source: string;
  summary: string;
  details: string | null;
  context: string;
}

/** The key as stored: unique per context, so the same rollout in two clusters keeps two histories. */
export const storedTimelineKey = (scope: TimelineScope, key: string): string =>
  scope.context ? `${scope.context}|${key}` : key;

/**
 * A time as the timeline stores and compares it: UTC with milliseconds (`2026-05-01T00:00:01.000Z`), so that times as
 * Kubernetes writes them (whole seconds, MicroTime's six digits, an offset) sort as text in time order. Text that is not
 * a time is kept as it is.
 */
export function canonicalTime(t: string): string {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString();
}

/** The exclusive upper bound of a timeline page, in the stored form. */
export const timelineBefore = (before: string | undefined): string =>
  before === undefined ? END_OF_TIME : canonicalTime(before);

export const timelineRow = (scope: TimelineScope, e: TimelineEntry): TimelineRow => ({
  key: columnText(storedTimelineKey(scope, e.key)),
  at: columnText(canonicalTime(e.at)),
  namespace: columnText(e.namespace),
  rollout: columnText(e.rollout),
  kind: columnText(e.kind),
  source: columnText(e.source),
  summary: columnText(e.summary),
  details: e.details ? JSON.stringify(e.details) : null,
  context: columnText(scope.context),
});

/** The two contexts a scope reads (its own, and '' when it reads untagged entries; the same twice otherwise). */
export const readContexts = (scope: TimelineScope): [string, string] => [
  scope.context,
  scope.readsUntagged ? '' : scope.context,
];

/** A `before` that is later than any stored time (ISO times sort as text). */
export const END_OF_TIME = '9999';
export const DEFAULT_TIMELINE_LIMIT = 200;

export function timelineEntryOf(scope: TimelineScope, r: Omit<TimelineRow, 'context'>): TimelineEntry {
  const prefix = scope.context ? `${scope.context}|` : '';
  return {
    key: prefix && r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key,
    at: r.at,
    namespace: r.namespace,
    rollout: r.rollout,
    kind: r.kind as TimelineEntry['kind'],
    source: r.source as TimelineEntry['source'],
    summary: r.summary,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
  };
}
