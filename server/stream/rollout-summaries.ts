import 'server-only';
import { needsAttention, rowOrder } from '@/lib/client/select';
import { firstRows } from '@/lib/overview/first-rows';
import { sameSummary } from '@/lib/overview/same-summary';
import type { SummaryDelta, SummaryMessage } from '@/lib/overview/summary-stream';
import { summaryKey } from '@/lib/overview/summary-stream';
import type { KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { rolloutContext } from '@/lib/rollout/rollout-context';
import { type RolloutSummary, rolloutSummary } from '@/lib/rollout/rollout-view';
import { matches } from './filter';
import type { StreamEvent, StreamHub } from './hub';

/** Deltas kept for a resume (a reconnect after a short drop gets what it missed, not every row again). */
const RING = 256;
/** How long the rows stay projected after the last overview stream closed (so a reconnect can resume). */
const LINGER_MS = 60_000;

type Snapshot = Extract<SummaryMessage, { type: 'SNAPSHOT' }>;

/** The overview's first screen of one context: its first rows in the default order, and how many there are. */
export interface FirstScreen {
  rows: RolloutSummary[];
  /** Every row, and those that need attention (the two tables' headings). */
  total: number;
  attention: number;
}

/**
 * The overview rows of a hub's kube context, projected from its events: one projection however many overview
 * streams read it, a row recomputed only for a change that may touch it (the Rollout itself, or its ReplicaSets,
 * AnalysisRuns, pods, Jobs or VirtualService; Events and ConfigMaps are not in a row), and a delta passed on only when
 * a row changed. Rows hold what the REST list gives every role (no field redaction removes is in a row).
 */
export class RolloutSummaries {
  private rows: Map<string, RolloutSummary> | null = null;
  /** The hub sequence number of the last change of the rows (their creation counts as one). */
  private rev = 0;
  private readonly ring: SummaryDelta[] = [];
  private readonly listeners = new Set<(d: SummaryDelta) => void>();
  private off: (() => void) | undefined;
  private linger: NodeJS.Timeout | undefined;
  /** The SNAPSHOT of the current revision, and the first screen (built when first asked, dropped on a change). */
  private snap: Snapshot | null = null;
  private screen: { n: number; value: FirstScreen } | null = null;

  constructor(private readonly hub: StreamHub) {}

  /** Whether the rows are projected now (an overview stream is open, or closed less than a minute ago). */
  get active(): boolean {
    return this.rows !== null;
  }

  private build(ro: KubeObject): RolloutSummary {
    const reg = this.hub.registry;
    return rolloutSummary(
      ro as Rollout,
      rolloutContext(ro as Rollout, (k, ns) => reg.list(k, ns), 0),
    );
  }

  private start(): Map<string, RolloutSummary> {
    const rows = new Map<string, RolloutSummary>();
    for (const ro of this.hub.registry.list('rollout')) {
      const s = this.build(ro);
      rows.set(summaryKey(s), s);
    }
    this.rows = rows;
    this.rev = this.hub.currentSeq;
    this.changed();
    this.ring.length = 0;
    this.off = this.hub.subscribe((e) => this.onEvent(e));
    return rows;
  }

  /** The Rollouts an event may change the row of. */
  private touched(e: StreamEvent, object: KubeObject): KubeObject[] {
    const reg = this.hub.registry;
    const ns = object.metadata?.namespace ?? '';
    if (e.kind === 'event' || e.kind === 'configmap' || e.kind === 'status') return [];
    if (e.kind === 'rollout') return [object];
    const lookup = (n: string, name: string) => reg.get('rollout', n, name) as Rollout | undefined;
    return reg
      .list('rollout', ns)
      .filter((ro) => matches({ namespace: ns, rollout: ro.metadata?.name ?? '' }, e.kind, object, lookup));
  }

  private onEvent(e: StreamEvent): void {
    const rows = this.rows;
    if (!rows || !('metadata' in e.object)) return;
    const upsert: RolloutSummary[] = [];
    const remove: string[] = [];
    for (const ro of this.touched(e, e.object)) {
      const key = `${ro.metadata?.namespace ?? ''}/${ro.metadata?.name ?? ''}`;
      const now = this.hub.registry.get('rollout', ro.metadata?.namespace ?? '', ro.metadata?.name ?? '');
      const prev = rows.get(key);
      if (!now) {
        if (prev) {
          rows.delete(key);
          remove.push(key);
        }
        continue;
      }
      const next = this.build(now);
      if (prev && sameSummary(prev, next)) continue;
      rows.set(key, next);
      upsert.push(next);
    }
    if (upsert.length === 0 && remove.length === 0) return;
    const delta: SummaryDelta = { type: 'DELTA', rev: e.seq, base: this.rev, upsert, remove };
    this.rev = e.seq;
    this.changed();
    this.ring.push(delta);
    if (this.ring.length > RING) this.ring.splice(0, this.ring.length - RING);
    for (const fn of this.listeners) fn(delta);
  }

  /**
   * Opens an overview stream: what to send first for `lastEventId` (none: a SNAPSHOT; a resume: UNCHANGED when no row
   * changed since it, the deltas it missed when the ring still holds them all, else a SNAPSHOT); `fn` gets every
   * later delta until `off`.
   */
  open(
    lastEventId: number | undefined,
    fn: (d: SummaryDelta) => void,
  ): { first: SummaryMessage[]; off: () => void } {
    clearTimeout(this.linger);
    const rows = this.rows ?? this.start();
    this.listeners.add(fn);
    return { first: this.resume(rows, lastEventId), off: () => this.close(fn) };
  }

  private changed(): void {
    this.snap = null;
    this.screen = null;
  }

  /** The rows as one SNAPSHOT message: the same object until a row changes (so its bytes are made once). */
  private snapshot(rows: Map<string, RolloutSummary>): Snapshot {
    this.snap ??= { type: 'SNAPSHOT', rev: this.rev, rows: [...rows.values()] };
    return this.snap;
  }

  /**
   * The overview's first `n` rows in its default order (attention first) and the counts, for the page's server
   * render: computed once per revision, from the projection (started for a minute when no stream has it open).
   */
  firstScreen(n: number): FirstScreen {
    const rows = this.rows ?? this.start();
    if (this.listeners.size === 0) this.lingerThenStop();
    if (this.screen?.n !== n) {
      const all = this.snapshot(rows).rows;
      this.screen = {
        n,
        value: {
          rows: firstRows(all, n, rowOrder('attention')),
          total: all.length,
          attention: all.filter(needsAttention).length,
        },
      };
    }
    return this.screen.value;
  }

  private resume(rows: Map<string, RolloutSummary>, last: number | undefined): SummaryMessage[] {
    const snapshot = (): SummaryMessage[] => [this.snapshot(rows)];
    if (last === undefined || !Number.isInteger(last) || last > this.hub.currentSeq) return snapshot();
    const missed = this.ring.filter((d) => d.rev > last);
    if (missed.length === 0) return this.rev <= last ? [{ type: 'UNCHANGED', rev: this.rev }] : snapshot();
    return (missed[0] as SummaryDelta).base <= last ? missed : snapshot();
  }

  private close(fn: (d: SummaryDelta) => void): void {
    this.listeners.delete(fn);
    if (this.listeners.size === 0) this.lingerThenStop();
  }

  private lingerThenStop(): void {
    clearTimeout(this.linger);
    this.linger = setTimeout(() => this.stop(), LINGER_MS);
    this.linger.unref?.();
  }

  /** Stops projecting (no stream left for a while). */
  stop(): void {
    clearTimeout(this.linger);
    if (this.listeners.size > 0) return;
    this.off?.();
    this.off = undefined;
    this.rows = null;
    this.changed();
    this.ring.length = 0;
  }
}
