import 'server-only';
import type { AuditEntry, AuditQuery } from '@/lib/schemas/audit';
import { runtime } from '../runtime/current';

export type { AuditEntry };

/** The audit log, newest first, filtered by user (subject), namespace, action and time (all optional). */
export function queryAudit(q: AuditQuery): Promise<AuditEntry[]> {
  return runtime().store().queryAudit(q);
}
