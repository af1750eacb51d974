import 'server-only';
import { verdictEntry } from '@/lib/rollout/timeline';
import { timelineScope } from '../kube/contexts';
import { store } from '../store';
import { within } from '../store/within';
import type { SloReport } from './evaluate';

/** How long the judge's answer waits for its verdict to be stored. */
const VERDICT_BOUND_MS = 1000;

/**
 * Stores the judge's decisive verdict (promote or rollback) in the decision timeline before the answer goes back to
 * the controller, so the page can say which SLO failed long after the AnalysisRun is gone. Never fails the request:
 * a store that fails or takes longer than VERDICT_BOUND_MS is logged and the answer goes out.
 */
export async function recordVerdict(
  report: SloReport,
  at = new Date().toISOString(),
  context?: string,
): Promise<void> {
  const entry = verdictEntry(report, at);
  if (!entry) return;
  try {
    await within(
      store().addTimeline(timelineScope(context), [entry]),
      VERDICT_BOUND_MS,
      'storing the verdict',
    );
  } catch (err) {
    console.error('timeline: could not store the verdict:', (err as Error).message);
  }
}
