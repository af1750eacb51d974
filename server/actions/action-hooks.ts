import 'server-only';
import type { ActionResult } from './action-types';

export interface ActionRecord {
  /** An action name; a refused request for an unknown action keeps what was asked (cut to 63 characters). */
  action: string;
  /** The kube context the action went to (omitted: the default one). */
  context?: string;
  namespace: string;
  name: string;
  body: unknown;
  /** Who asked: the stable subject (`local:<user>`, `oidc:<issuer>#<sub>`), the display name, their role then. */
  subject?: string;
  actor?: string;
  role?: string | null;
  /** Set when the action succeeded. */
  outcome?: ActionResult;
  /** Set when it was refused or failed. */
  error?: { status: number; code: string; message: string };
  at: string;
  /** Also add it to the rollout's timeline (default true; refusals are audit-only). */
  timeline?: boolean;
  /** How many refusals this row stands for (aggregated refusals; default 1). */
  count?: number;
}

const log = () => import('../audit/action-log');

/**
 * THE AUDIT HOOK, step 1: writes the intent (who asks what, on which rollout) before anything is changed, and
 * returns its row id. Rejects when the audit store cannot be written: the caller must then not perform the action.
 */
export async function recordIntent(record: ActionRecord): Promise<number> {
  return (await log()).beginAction(record);
}

/** Step 2: completes the intent row with the outcome (the exact patch, or the error) and adds it to the timeline. */
export async function recordOutcome(id: number, record: ActionRecord): Promise<void> {
  await (await log()).completeAction(id, record);
}
