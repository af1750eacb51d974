import 'server-only';
import { beginAction, completeAction } from '../audit/action-log';
import type { ActionRecord } from './action-record';

export type { ActionRecord };

/**
 * THE AUDIT HOOK, step 1: writes the intent (who asks what, on which rollout) before anything is changed, and
 * returns its row id. Rejects when the audit store cannot be written: the caller must then not perform the action.
 */
export function recordIntent(record: ActionRecord): Promise<number> {
  return beginAction(record);
}

/** Step 2: completes the intent row with the outcome (the exact patch, or the error) and adds it to the timeline. */
export function recordOutcome(id: number, record: ActionRecord): Promise<void> {
  return completeAction(id, record);
}
