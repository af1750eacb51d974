import 'server-only';
import type { KubeObject } from '@/lib/rollout/kube-types';
import type { WatchedKind } from '@/server/kube/kinds';
import { WATCHED_KINDS } from '@/server/kube/kinds';
import type { Connectivity, InformerRegistry } from '@/server/kube/registry';

export type StreamKind = WatchedKind | 'status';
export interface ConnectivityObject {
  kind: 'Connectivity';
  connected: boolean;
  synced: boolean;
  lastError: string | null;
}
export interface StreamEvent {
  seq: number;
  kind: StreamKind;
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'STATUS';
  object: KubeObject | ConnectivityObject;
}

export const connectivityObject = (c: Connectivity): ConnectivityObject => ({
  kind: 'Connectivity',
  connected: c.connected,
  synced: c.synced,
  lastError: c.lastError,
});

/**
 * The fan-out of informer events to every browser stream: one subscription to the registry, a process-wide
 * monotonic sequence number per event, and a bounded ring of recent events for Last-Event-ID resume.
 */
export class StreamHub {
  /** Starts at the clock (ms) so ids from an earlier process are always older than this one's. */
  private seq = Date.now();
  private readonly ring: StreamEvent[] = [];
  private readonly listeners = new Set<(ev: StreamEvent) => void>();
  private readonly offs: Array<() => void>;

  constructor(
    readonly registry: InformerRegistry,
    private readonly ringSize = 2000,
  ) {
    this.offs = [
      registry.subscribe((ev) => this.publish(ev.kind, ev.type, ev.object)),
      registry.onConnectivity((c) => this.publish('status', 'STATUS', connectivityObject(c))),
    ];
  }

  /** Browser streams attached now. */
  get clients(): number {
    return this.listeners.size;
  }

  get currentSeq(): number {
    return this.seq;
  }

  private publish(kind: StreamKind, type: StreamEvent['type'], object: StreamEvent['object']): void {
    const ev: StreamEvent = { seq: ++this.seq, kind, type, object };
    this.ring.push(ev);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    for (const fn of this.listeners) fn(ev);
  }

  subscribe(fn: (ev: StreamEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The events after `seq`, or undefined when the ring no longer reaches back that far (or `seq` is unknown). */
  since(seq: number): StreamEvent[] | undefined {
    if (!Number.isInteger(seq) || seq > this.seq) return undefined;
    if (seq === this.seq) return [];
    const oldest = this.ring[0]?.seq;
    if (oldest === undefined || seq < oldest - 1) return undefined;
    return this.ring.filter((e) => e.seq > seq);
  }

  /** Every cached object, kind by kind. */
  *objects(): Generator<{ kind: WatchedKind; object: KubeObject }> {
    for (const kind of WATCHED_KINDS) for (const object of this.registry.list(kind)) yield { kind, object };
  }

  close(): void {
    for (const off of this.offs) off();
    this.listeners.clear();
  }
}
