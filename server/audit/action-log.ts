import 'server-only';
import type { ActionRecord } from '../actions/action-record';
import { runtime } from '../runtime/current';
import { timelineScope } from '../runtime/request-context';
import { SINGLE_SCOPE, type TimelineScope } from '../store/types';

export { PENDING_STATUS } from '../store/audit-rows';

/** The timeline a record goes to (refusals go to none: their kube context need not even exist). */
const scopeOf = (rec: ActionRecord): TimelineScope =>
  rec.timeline === false ? SINGLE_SCOPE : timelineScope(rec.context);

/** Writes a finished action or a refusal (who, what, the exact patch, the result) to the audit table and timeline. */
export function logAction(rec: ActionRecord): Promise<number> {
  return runtime().store().logAction(rec, scopeOf(rec));
}

/** Writes the intent of an action before it is performed; rejects when the store cannot be written. */
export function beginAction(rec: ActionRecord): Promise<number> {
  return runtime().store().beginAction(rec);
}

/** Completes an intent row with the outcome (status, exact patch or error) and adds it to the rollout's timeline. */
export function completeAction(id: number, rec: ActionRecord): Promise<void> {
  return runtime().store().completeAction(id, rec, scopeOf(rec));
}
