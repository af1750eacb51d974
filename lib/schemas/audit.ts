import { z } from 'zod';
import { ACTION_NAMES } from './actions';
import { dnsLabel } from './names';

const time = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'must be an ISO time such as 2025-01-31T10:00:00Z or a date 2025-01-31',
});

/** Filters of `GET /api/v1/audit` and the /audit page; empty strings (an untouched form field) count as unset. */
export const auditQuerySchema = z.strictObject({
  /** A subject (`local:alice`, `oidc:<issuer>#<sub>`) or a local user name. */
  user: z.string().trim().max(600).optional(),
  namespace: dnsLabel.optional(),
  action: z.enum(ACTION_NAMES, { error: `must be one of ${ACTION_NAMES.join(', ')}` }).optional(),
  since: time.optional(),
  until: time.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  format: z.enum(['json', 'jsonl']).default('json'),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Drops empty values (so `?user=&namespace=demo` means only namespace). */
export const nonEmpty = (q: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1]?.trim())));

/** One row of the audit log as the API and the /audit page show it. */
export interface AuditEntry {
  id: number;
  at: string;
  /** The stable identity (`local:<user>`, `oidc:<issuer>#<sub>`; '' in entries written before it was kept). */
  subject: string;
  /** The display name at the time (from the identity provider for OIDC users: not an identity). */
  actor: string;
  role: string | null;
  action: string;
  /** The kube context ('' when only one was configured). */
  context: string;
  namespace: string;
  rollout: string;
  request: unknown;
  patch: unknown;
  target: string | null;
  /** The HTTP status; 0 while the action runs (left so, its outcome was never written). */
  status: number;
  error: string | null;
  /** How many refusals this entry stands for (repeated refusals within a minute are one entry); 1 otherwise. */
  count: number;
}
