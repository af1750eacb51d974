import 'server-only';
import type { KubeObject } from '@/lib/rollout/kube-types';
import { objectKey } from '@/lib/rollout/ownership';
import type { KindSpec, WatchedKind } from './kinds';

export type InformerEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface InformerEvent {
  kind: WatchedKind;
  type: InformerEventType;
  object: KubeObject;
}

/** The objects of one kind by namespace/name, telling listeners about every change. */
export class ObjectCache {
  private map = new Map<string, KubeObject>();
  private readonly listeners = new Set<(ev: InformerEvent) => void>();

  constructor(private readonly spec: KindSpec) {}

  list(namespace?: string): KubeObject[] {
    const all = [...this.map.values()];
    return namespace ? all.filter((o) => o.metadata?.namespace === namespace) : all;
  }
  get(namespace: string, name: string): KubeObject | undefined {
    return this.map.get(`${namespace}/${name}`);
  }
  subscribe(fn: (ev: InformerEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Adds kind/apiVersion (list items may lack them) and drops managedFields (memory). */
  normalize(o: KubeObject): KubeObject {
    const { managedFields: _drop, ...metadata } = (o.metadata ?? {}) as Record<string, unknown>;
    return {
      ...o,
      apiVersion: o.apiVersion ?? this.spec.apiVersion,
      kind: o.kind ?? this.spec.k8sKind,
      metadata,
    };
  }

  /** A relist: the new contents, announced as the ADDED/MODIFIED/DELETED that get there from the old ones. */
  replace(items: KubeObject[]): void {
    const next = new Map<string, KubeObject>();
    for (const item of items) {
      const o = this.normalize(item);
      next.set(objectKey(o), o);
    }
    const prev = this.map;
    this.map = next;
    for (const [k, o] of next) {
      const old = prev.get(k);
      if (!old) this.emit('ADDED', o);
      else if (old.metadata?.resourceVersion !== o.metadata?.resourceVersion) this.emit('MODIFIED', o);
    }
    for (const [k, o] of prev) if (!next.has(k)) this.emit('DELETED', o);
  }

  /** One watch event. */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', raw: KubeObject): void {
    const o = this.normalize(raw);
    const key = objectKey(o);
    if (type === 'DELETED') {
      this.map.delete(key);
      this.emit('DELETED', o);
      return;
    }
    const had = this.map.has(key);
    this.map.set(key, o);
    this.emit(had ? 'MODIFIED' : 'ADDED', o);
  }

  private emit(type: InformerEventType, object: KubeObject): void {
    for (const fn of this.listeners) fn({ kind: this.spec.kind, type, object });
  }
}
