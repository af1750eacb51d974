import 'server-only';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { store } from '../store';
import { type ControlCenterStore, SINGLE_SCOPE, type TimelineScope } from '../store/types';

export type { TimelineScope };

/**
 * One kube context's decision timeline: entries are stored once each (by key and context) and a rollout's history
 * is read newest first. Writes and reads go to `target`, or to the process's store as it is at the call.
 */
export class TimelineStore {
  constructor(
    private readonly scope: TimelineScope = SINGLE_SCOPE,
    private readonly target?: ControlCenterStore,
  ) {}

  private get s(): ControlCenterStore {
    return this.target ?? store();
  }

  /** Stores the entries not stored yet; how many were new. */
  add(entries: TimelineEntry[]): Promise<number> {
    return this.s.addTimeline(this.scope, entries);
  }

  list(
    namespace: string,
    rollout: string,
    opts: { before?: string; limit?: number } = {},
  ): Promise<TimelineEntry[]> {
    return this.s.listTimeline(this.scope, namespace, rollout, opts);
  }
}
