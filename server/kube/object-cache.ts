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

/** Annotations that only repeat the object (client-side apply's copy of the spec): not kept, to save memory. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * The objects of one kind by namespace/name, telling listeners about every change. Objects are also indexed by
 * namespace, so listing one namespace costs its own objects, not the whole cluster's (the overview builds a view per
 * rollout from its namespace's objects).
 */
export class ObjectCache {
  private map = new Map<string, KubeObject>();
  private byNamespace = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<(ev: InformerEvent) => void>();

  constructor(private readonly spec: KindSpec) {}

  list(namespace?: string): KubeObject[] {
    if (namespace === undefined) return [...this.map.values()];
    const inNs = this.byNamespace.get(namespace);
    return inNs ? [...inNs.values()] : [];
  }

  private index(key: string, o: KubeObject): void {
    const ns = o.metadata?.namespace ?? '';
    let inNs = this.byNamespace.get(ns);
    if (!inNs) {
      inNs = new Map();
      this.byNamespace.set(ns, inNs);
    }
    inNs.set(key, o);
  }

  private unindex(key: string, o: KubeObject): void {
    const ns = o.metadata?.namespace ?? '';
    const inNs = this.byNamespace.get(ns);
    inNs?.delete(key);
    if (inNs?.size === 0) this.byNamespace.delete(ns);
  }
  get(namespace: string, name: string): KubeObject | undefined {
    return this.map.get(`${namespace}/${name}`);
  }
  subscribe(fn: (ev: InformerEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Adds kind/apiVersion (list items may lack them) and drops managedFields and repeat annotations (memory). */
  normalize(o: KubeObject): KubeObject {
    const { managedFields: _drop, ...metadata } = (o.metadata ?? {}) as Record<string, unknown>;
    const annotations = metadata.annotations as Record<string, string> | undefined;
    if (annotations && DROPPED_ANNOTATIONS.some((a) => a in annotations)) {
      const kept = Object.fromEntries(
        Object.entries(annotations).filter(([k]) => !DROPPED_ANNOTATIONS.includes(k)),
      );
      if (Object.keys(kept).length) metadata.annotations = kept;
      else delete metadata.annotations;
    }
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
    this.byNamespace = new Map();
    for (const [k, o] of next) this.index(k, o);
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
      const old = this.map.get(key);
      this.map.delete(key);
      if (old) this.unindex(key, old);
      this.emit('DELETED', o);
      return;
    }
    const had = this.map.has(key);
    this.map.set(key, o);
    this.index(key, o);
    this.emit(had ? 'MODIFIED' : 'ADDED', o);
  }

  private emit(type: InformerEventType, object: KubeObject): void {
    for (const fn of this.listeners) fn({ kind: this.spec.kind, type, object });
  }
}
