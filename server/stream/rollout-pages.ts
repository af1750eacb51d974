import 'server-only';
import type { KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { ownedBy } from '@/lib/rollout/ownership';
import {
  diffPage,
  pageKey,
  type RolloutPage,
  type RolloutPageMessage,
  rolloutPage,
  withAdded,
} from '@/lib/rollout/rollout-page';
import { TimelineChanges } from '@/lib/rollout/timeline-changes';
import { matches } from './filter';
import type { StreamEvent, StreamHub } from './hub';

export type PageDelta = Extract<RolloutPageMessage, { type: 'DELTA' }>;

interface Projection {
  page: RolloutPage;
  /** The hub sequence number of the last change of the page (its creation counts as one). */
  rev: number;
  listeners: Set<(d: PageDelta) => void>;
  /** The last Rollout and AnalysisRuns it saw: what a change made, as timeline entries. */
  changes: TimelineChanges;
}

/**
 * The rollout pages open on a hub, projected from its events: one projection per rollout however many streams show
 * it, recomputed once per event that may touch it, and passed on as a delta only when the page changed. A change's
 * timeline entries (a step, a weight, a phase, a measurement, an Event) are derived here as the recorder derives the
 * stored ones, with the same keys, and go out in the same delta: the page shows them without reading the timeline.
 */
export class RolloutPages {
  private readonly pages = new Map<string, Projection>();
  private off: (() => void) | undefined;

  constructor(
    private readonly hub: StreamHub,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Projections alive now (one per rollout with at least one open page). */
  get size(): number {
    return this.pages.size;
  }

  private build(namespace: string, name: string, recent?: RolloutPage['recent']): RolloutPage {
    const reg = this.hub.registry;
    const ro = reg.get('rollout', namespace, name) as Rollout | undefined;
    return rolloutPage(ro, (kind, ns) => reg.list(kind, ns), namespace, name, recent);
  }

  /** What the rollout and its runs are now: nothing of it is a change yet. */
  private seen(namespace: string, name: string): TimelineChanges {
    const reg = this.hub.registry;
    const changes = new TimelineChanges();
    const ro = reg.get('rollout', namespace, name);
    changes.know('rollout', ro ? [ro] : []);
    const owned = (r: KubeObject) => ownedBy(r, 'Rollout', name);
    changes.know('analysisrun', reg.list('analysisrun', namespace).filter(owned));
    return changes;
  }

  private onEvent(e: StreamEvent): void {
    if (e.kind === 'status' || !('metadata' in e.object)) return;
    const change = { kind: e.kind, type: e.type, object: e.object as KubeObject };
    const lookup = (ns: string, n: string) => this.hub.registry.get('rollout', ns, n) as Rollout | undefined;
    for (const [key, p] of this.pages) {
      const [namespace = '', name = ''] = key.split('/');
      if (!matches({ namespace, rollout: name }, e.kind, change.object, lookup)) continue;
      // Newest first, as the store reads back one change's entries (equal times: the later written first).
      const added = p.changes
        .entries(change, this.now())
        .filter((t) => t.namespace === namespace && t.rollout === name)
        .reverse();
      const next = this.build(namespace, name, p.page.recent);
      const patch = diffPage(p.page, next) ?? {};
      if (added.length) {
        next.recent = withAdded(next.recent, added);
        patch.added = added;
      }
      if (Object.keys(patch).length === 0) continue;
      const delta: PageDelta = { type: 'DELTA', key, rev: e.seq, base: p.rev, patch };
      p.page = next;
      p.rev = e.seq;
      for (const fn of p.listeners) fn(delta);
    }
  }

  /** The page now and its revision; `fn` gets every later delta until the returned `off` is called. */
  open(
    namespace: string,
    name: string,
    fn: (d: PageDelta) => void,
  ): { page: RolloutPage; rev: number; off: () => void } {
    const key = pageKey(namespace, name);
    let p = this.pages.get(key);
    if (!p) {
      p = {
        page: this.build(namespace, name),
        rev: this.hub.currentSeq,
        listeners: new Set(),
        changes: this.seen(namespace, name),
      };
      this.pages.set(key, p);
      this.off ??= this.hub.subscribe((e) => this.onEvent(e));
    }
    const proj = p;
    proj.listeners.add(fn);
    return {
      page: proj.page,
      rev: proj.rev,
      off: () => {
        proj.listeners.delete(fn);
        if (proj.listeners.size > 0 || this.pages.get(key) !== proj) return;
        this.pages.delete(key);
        if (this.pages.size === 0) {
          this.off?.();
          this.off = undefined;
        }
      },
    };
  }
}
