import 'server-only';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import type { ControlCenterStore, TimelineScope } from '../store/types';

export type { TimelineScope };

/**
 * One kube context's decision timeline: entries are stored once each (by key and context) and a rollout's history
 * is read newest first. Writes and reads go to `target` (a function: the runtime's store as it is at the call).
 */
export class TimelineStore {
  constructor(
    private readonly scope: TimelineScope,
    private readonly target: ControlCenterStore | (() => ControlCenterStore),
  ) {}

  private get s(): ControlCenterStore {
    return typeof this.target === 'function' ? this.target() : this.target;
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
