import 'server-only';
import type { ActionName } from '@/lib/schemas/actions';
import type { ActionResult } from './action-types';

export interface ActionRecord {
  action: ActionName;
  /** The kube context the action went to (omitted: the default one). */
  context?: string;
  namespace: string;
  name: string;
  body: unknown;
  /** Who asked (the signed-in user's name) and their role at the time. */
  actor?: string;
  role?: string | null;
  /** Set when the action succeeded. */
  outcome?: ActionResult;
  /** Set when it was refused or failed. */
  error?: { status: number; code: string; message: string };
  at: string;
  /** Also add it to the rollout's timeline (default true; refusals by role or rate limit are audit-only). */
  timeline?: boolean;
}

/**
 * THE AUDIT HOOK: called once after every rollout action (success or failure), before the response returns. Writes
 * the action, who and with which role, the exact patch and the outcome to the audit table and the rollout's
 * timeline (SQLite, WAL).
 */
export async function recordAction(record: ActionRecord): Promise<void> {
  const [{ auditDb }, { logAction }] = await Promise.all([
    import('../audit/audit-db'),
    import('../audit/action-log'),
  ]);
  logAction(auditDb(), record);
}
