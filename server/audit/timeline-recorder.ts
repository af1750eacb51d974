import 'server-only';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { TimelineChanges } from '@/lib/rollout/timeline-changes';
import type { InformerRegistry } from '../kube/registry';
import { PendingWrites, type PendingWritesOptions } from './pending-writes';
import type { TimelineStore } from './timeline-store';

/**
 * Turns informer events into stored timeline entries: step, weight and phase changes of Rollouts, AnalysisRun
 * measurements and verdicts, and Kubernetes Events about Rollouts. Stored entries outlive AnalysisRun garbage
 * collection and dashboard restarts. Returns the function that stops recording. `options` tune the waiting writes
 * (the runtime passes its drop counter; tests their own back-off).
 */
export function startTimelineRecorder(
  reg: InformerRegistry,
  store: TimelineStore,
  now: () => string = () => new Date().toISOString(),
  options: Partial<PendingWritesOptions<TimelineEntry>> = {},
): () => void {
  const changes = new TimelineChanges();
  // Writes go out one after the other, in the order of the events (equal times are ordered by write). While the
  // store cannot be written the batches wait and are retried with back-off (bounded; past the bound the oldest are
  // dropped, logged and counted); entries keep their own times, so the timeline stays in entry order.
  const pending = new PendingWrites<TimelineEntry>((entries) => store.add(entries), {
    name: 'timeline',
    ...options,
  });
  const record = (entries: TimelineEntry[]) => {
    void pending.add(entries);
  };
  // A Rollout's current state is not a change; an AnalysisRun's finished measurements and the Events are recorded
  // (by key, so once however often the control center starts).
  changes.know('rollout', reg.list('rollout'));
  // One write per run (a cluster's every run in one statement could outlast the store's statement timeout).
  for (const object of reg.list('analysisrun'))
    record(changes.entries({ kind: 'analysisrun', type: 'ADDED', object }, now()));
  record(
    reg.list('event').flatMap((object) => changes.entries({ kind: 'event', type: 'ADDED', object }, now())),
  );
  const unsubscribe = reg.subscribe((ev) => record(changes.entries(ev, now())));
  return () => {
    unsubscribe();
    pending.stop();
  };
}
