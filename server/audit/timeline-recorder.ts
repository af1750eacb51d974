import 'server-only';
import type { AnalysisRun, KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { analysisRunChanges, eventEntry, rolloutChanges, type TimelineEntry } from '@/lib/rollout/timeline';
import type { InformerRegistry } from '../kube/registry';
import type { TimelineStore } from './timeline-store';

/** Batches of entries that may wait for the store at once. */
const MAX_QUEUED = 1000;

const keyOf = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;

/**
 * Turns informer events into stored timeline entries: step, weight and phase changes of Rollouts, AnalysisRun
 * measurements and verdicts, and Kubernetes Events about Rollouts. Stored entries outlive AnalysisRun garbage
 * collection and dashboard restarts. Returns the function that stops recording.
 */
export function startTimelineRecorder(
  reg: InformerRegistry,
  store: TimelineStore,
  now: () => string = () => new Date().toISOString(),
): () => void {
  const rollouts = new Map<string, Rollout>();
  const runs = new Map<string, AnalysisRun>();
  // Writes go out one after the other, in the order of the events (equal times are ordered by write). While the
  // store is slow or down at most MAX_QUEUED batches wait; past that a batch is dropped (and said so), not kept.
  let writes: Promise<unknown> = Promise.resolve();
  let queued = 0;
  const record = (entries: TimelineEntry[]) => {
    if (entries.length === 0) return;
    if (queued >= MAX_QUEUED) {
      console.error(
        `timeline: ${entries.length} entries dropped: ${queued} writes already wait for the store`,
      );
      return;
    }
    queued++;
    writes = writes
      .then(() => store.add(entries))
      .catch((err: unknown) => console.error('timeline: could not store entries:', (err as Error).message))
      .finally(() => queued--);
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
  return reg.subscribe((ev) => {
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
}
