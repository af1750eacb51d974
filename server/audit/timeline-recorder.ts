import 'server-only';
import type { AnalysisRun, KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { analysisRunChanges, eventEntry, rolloutChanges, type TimelineEntry } from '@/lib/rollout/timeline';
import type { InformerRegistry } from '../kube/registry';
import { PendingWrites, type PendingWritesOptions } from './pending-writes';
import type { TimelineStore } from './timeline-store';

const keyOf = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;

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
  const rollouts = new Map<string, Rollout>();
  const runs = new Map<string, AnalysisRun>();
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
  const seed = () => {
    for (const r of reg.list('rollout')) rollouts.set(keyOf(r), r as Rollout);
    for (const r of reg.list('analysisrun')) {
      runs.set(keyOf(r), r as AnalysisRun);
      record(analysisRunChanges(undefined, r as AnalysisRun, now()));
    }
    record(reg.list('event').flatMap((e) => eventEntry(e) ?? []));
  };
  seed();
  const unsubscribe = reg.subscribe((ev) => {
    const k = keyOf(ev.object);
    switch (ev.kind) {
      case 'rollout': {
        const next = ev.object as Rollout;
        if (ev.type === 'DELETED') rollouts.delete(k);
        else {
          record(rolloutChanges(rollouts.get(k), next, now()));
          rollouts.set(k, next);
        }
        return;
      }
      case 'analysisrun': {
        const next = ev.object as AnalysisRun;
        if (ev.type === 'DELETED') runs.delete(k);
        else {
          record(analysisRunChanges(runs.get(k), next, now()));
          runs.set(k, next);
        }
        return;
      }
      case 'event': {
        if (ev.type !== 'DELETED')
          record(eventEntry(ev.object) ? [eventEntry(ev.object) as TimelineEntry] : []);
        return;
      }
      default:
        return;
    }
  });
  return () => {
    unsubscribe();
    pending.stop();
  };
}
