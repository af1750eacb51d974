import type { AnalysisRun, KubeObject, Rollout } from './kube-types';
import { objectKey } from './ownership';
import { analysisRunChanges, eventEntry, rolloutChanges, type TimelineEntry } from './timeline';

/** One informer event, as much of it as the timeline needs. */
export interface TimelineSourceEvent {
  kind: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'STATUS';
  object: KubeObject;
}

/**
 * The timeline entries informer events make, remembering the last version of each Rollout and AnalysisRun to tell
 * what changed. The recorder keeps one for every rollout of a context (and stores what it returns); a rollout page's
 * projection keeps one for its rollout (and streams what it returns). Pure: no clock, no I/O (`at` is passed in).
 */
export class TimelineChanges {
  private readonly rollouts = new Map<string, Rollout>();
  private readonly runs = new Map<string, AnalysisRun>();

  /** Remembers current objects without deriving anything from them (an initial list: nothing changed yet). */
  know(kind: string, objects: KubeObject[]): void {
    const into = kind === 'rollout' ? this.rollouts : kind === 'analysisrun' ? this.runs : undefined;
    for (const o of objects) into?.set(objectKey(o), o);
  }

  /** The entries `ev` makes (none for a kind the timeline does not follow, or a deletion). */
  entries(ev: TimelineSourceEvent, at: string): TimelineEntry[] {
    const k = objectKey(ev.object);
    switch (ev.kind) {
      case 'rollout': {
        if (ev.type === 'DELETED') {
          this.rollouts.delete(k);
          return [];
        }
        const next = ev.object as Rollout;
        const out = rolloutChanges(this.rollouts.get(k), next, at);
        this.rollouts.set(k, next);
        return out;
      }
      case 'analysisrun': {
        if (ev.type === 'DELETED') {
          this.runs.delete(k);
          return [];
        }
        const next = ev.object as AnalysisRun;
        const out = analysisRunChanges(this.runs.get(k), next, at);
        this.runs.set(k, next);
        return out;
      }
      case 'event': {
        const entry = ev.type === 'DELETED' ? null : eventEntry(ev.object);
        return entry ? [entry] : [];
      }
      default:
        return [];
    }
  }
}
