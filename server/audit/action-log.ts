import 'server-only';
import type Database from 'better-sqlite3';
import type { ActionRecord } from '../kube/action-hooks';
import { timelineScope } from '../kube/contexts';
import { TimelineStore } from './timeline-store';

const PAST: Record<string, string> = {
  launch: 'launched',
  promote: 'promoted',
  'promote-full': 'fully promoted',
  abort: 'aborted',
  retry: 'retried',
  restart: 'restarted',
  pause: 'paused',
  resume: 'resumed',
  undo: 'rolled back (undo)',
  faults: 'changed faults of',
  load: 'started/stopped load on',
};

/** The status of an intent row until its outcome is written (a row left so means the outcome is unknown). */
export const PENDING_STATUS = 0;

const INSERT =
  'INSERT INTO actions (at, subject, actor, role, action, namespace, rollout, request, patch, target, status, error, context, count) VALUES (@at, @subject, @actor, @role, @action, @namespace, @rollout, @request, @patch, @target, @status, @error, @context, @count)';

/** A request body as stored: refused bodies may be anything a client sent, so past 4 KiB only its start is kept. */
const MAX_REQUEST = 4096;
function requestText(body: unknown): string {
  const s = JSON.stringify(body ?? null);
  return s.length <= MAX_REQUEST ? s : JSON.stringify({ truncated: true, start: s.slice(0, MAX_REQUEST) });
}

function row(rec: ActionRecord, status: number) {
  return {
    at: rec.at,
    subject: rec.subject ?? '',
    actor: rec.actor ?? 'anonymous',
    role: rec.role ?? null,
    action: rec.action.slice(0, 63),
    namespace: rec.namespace.slice(0, 253),
    rollout: rec.name.slice(0, 253),
    request: requestText(rec.body),
    patch: rec.outcome ? JSON.stringify(rec.outcome.patches ?? rec.outcome.patch) : null,
    target: rec.outcome?.target ?? null,
    status,
    error: rec.error ? `${rec.error.code}: ${rec.error.message}` : null,
    context: rec.context ?? '',
    count: rec.count ?? 1,
  };
}

/** Writes a finished action or a refusal (who, what, the exact patch, the result) to the audit table and timeline. */
export function logAction(db: Database.Database, rec: ActionRecord): number {
  const id = Number(db.prepare(INSERT).run(row(rec, rec.error?.status ?? 200)).lastInsertRowid);
  addToTimeline(db, rec);
  return id;
}

/** Writes the intent of an action before it is performed; throws when the store cannot be written. */
export function beginAction(db: Database.Database, rec: ActionRecord): number {
  return Number(db.prepare(INSERT).run(row(rec, PENDING_STATUS)).lastInsertRowid);
}

/** Completes an intent row with the outcome (status, exact patch or error) and adds it to the rollout's timeline. */
export function completeAction(db: Database.Database, id: number, rec: ActionRecord): void {
  const r = row(rec, rec.error?.status ?? 200);
  db.prepare(
    'UPDATE actions SET patch = @patch, target = @target, status = @status, error = @error WHERE id = @id',
  ).run({ patch: r.patch, target: r.target, status: r.status, error: r.error, id });
  addToTimeline(db, rec);
}

function addToTimeline(db: Database.Database, rec: ActionRecord): void {
  if (rec.timeline === false) return;
  const actor = rec.actor ?? 'anonymous';
  const verb = PAST[rec.action] ?? rec.action;
  const summary = rec.error
    ? `${actor} tried to ${rec.action}: refused (${rec.error.status} ${rec.error.message})`
    : `${actor} ${verb} ${rec.name} (${rec.outcome?.target ?? ''}: ${summarizePatch(rec.outcome?.patch)})`;
  new TimelineStore(db, timelineScope(rec.context)).add([
    {
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
    },
  ]);
}

function summarizePatch(patch: unknown): string {
  const s = JSON.stringify(patch ?? null);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
