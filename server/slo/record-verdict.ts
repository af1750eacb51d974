import 'server-only';
import { verdictEntry } from '@/lib/rollout/timeline';
import { auditDb } from '../audit/audit-db';
import { TimelineStore } from '../audit/timeline-store';
import { timelineScope } from '../kube/contexts';
import type { SloReport } from './evaluate';

/**
 * Stores the judge's decisive verdict (promote or rollback) in the decision timeline before the answer goes back to
 * the controller, so the page can say which SLO failed long after the AnalysisRun is gone. Never fails the request.
 */
export function recordVerdict(report: SloReport, at = new Date().toISOString(), context?: string): void {
  const entry = verdictEntry(report, at);
  if (!entry) return;
  try {
    new TimelineStore(auditDb(), timelineScope(context)).add([entry]);
  } catch (err) {
    console.error('timeline: could not store the verdict:', (err as Error).message);
  }
}
