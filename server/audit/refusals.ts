import 'server-only';
import type { ActionRecord } from '../actions/action-record';
import type { Principal } from '../auth/principal';
import { runtime } from '../runtime/current';
import { within } from '../store/within';

/** How long a refusal waits for its audit row before it answers anyway. */
const WRITE_BOUND_MS = 2000;

/** What a refused request asked for, as far as it is known (raw path values are kept, cut to their column). */
export interface RefusedRequest {
  action: string;
  namespace: string;
  name: string;
  context?: string;
  body?: unknown;
}

/**
 * Records a refusal of a signed-in user (403, 404, 4xx bad input, 429) in the audit log, aggregated. A refusal
 * changes nothing, so a failed (or, past WRITE_BOUND_MS, slow) write is logged and the refusal still answers; the
 * returned promise never rejects.
 */
export async function auditRefusal(
  who: Principal,
  req: RefusedRequest,
  error: ActionRecord['error'] & object,
): Promise<void> {
  try {
    const written = runtime().refusals.record({
      action: req.action,
      namespace: req.namespace,
      name: req.name,
      context: req.context ?? '',
      body: req.body ?? null,
      at: new Date().toISOString(),
      subject: who.subject,
      actor: who.name,
      role: who.role,
      error,
      timeline: false,
    });
    await within(written, WRITE_BOUND_MS, "the refusal's audit row");
  } catch (err) {
    console.error('audit: could not record a refusal:', (err as Error).message);
  }
}

/** Writes the counts of aggregated refusals (before the audit log is read); a failed write is logged, never thrown. */
export async function flushRefusals(): Promise<void> {
  try {
    await runtime().refusals.flush();
  } catch (err) {
    console.error('audit: could not write refusal counts:', (err as Error).message);
  }
}
