import type { ActionResult } from './action-types';

/** One row of the audit log: an action, its intent and outcome, or an aggregated refusal. */
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
