import 'server-only';
import type { ActionName } from '@/lib/schemas/actions';
import type { ActionResult } from './action-types';

export interface ActionRecord {
  action: ActionName;
  namespace: string;
  name: string;
  body: unknown;
  /** Set when the action succeeded. */
  outcome?: ActionResult;
  /** Set when it was refused or failed. */
  error?: { status: number; code: string; message: string };
  at: string;
}

/**
 * THE AUDIT HOOK: called once after every rollout action (success or failure). It does nothing yet; the audit issue
 * fills it in (who did what, the exact patch, the outcome). Keep it fast and never let it throw into the action.
 */
export async function recordAction(_record: ActionRecord): Promise<void> {}
