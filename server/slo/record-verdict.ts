import 'server-only';
import { verdictEntry } from '@/lib/rollout/timeline';
import { runtime } from '../runtime/current';
import { within } from '../store/within';
import type { SloReport } from './evaluate';

/** How long the judge's answer waits for its verdict to be stored. */
const VERDICT_BOUND_MS = 1000;

/**
 * Stores the judge's decisive verdict (promote or rollback) in the decision timeline before the answer goes back to
 * the controller, so the page can say which SLO failed long after the AnalysisRun is gone. Never fails the request
 * and never delays it past VERDICT_BOUND_MS: a verdict the store does not take in time waits in memory and is retried
 * with back-off until the store takes it (the key is deterministic, so a late duplicate is stored once).
 */
export async function recordVerdict(
  report: SloReport,
  at = new Date().toISOString(),
  context?: string,
): Promise<void> {
  const entry = verdictEntry(report, at);
  if (!entry) return;
  try {
    await within(runtime().context(context).verdicts.add([entry]), VERDICT_BOUND_MS, 'storing the verdict');
  } catch (err) {
    console.error('timeline: the verdict is not stored yet (kept, retried):', (err as Error).message);
  }
}
