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

/** Writes an action (who, what, the exact patch, the result) to the audit table and to the rollout's timeline. */
export function logAction(db: Database.Database, rec: ActionRecord): void {
  const actor = rec.actor ?? 'anonymous';
  const patch = rec.outcome ? JSON.stringify(rec.outcome.patches ?? rec.outcome.patch) : null;
  db.prepare(
    'INSERT INTO actions (at, actor, role, action, namespace, rollout, request, patch, target, status, error, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    rec.at,
    actor,
    rec.role ?? null,
    rec.action,
    rec.namespace,
    rec.name,
    JSON.stringify(rec.body ?? null),
    patch,
    rec.outcome?.target ?? null,
    rec.error?.status ?? 200,
    rec.error ? `${rec.error.code}: ${rec.error.message}` : null,
    rec.context ?? '',
  );
  if (rec.timeline === false) return;
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
