import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@/lib/rollout/kube-types';
import { Informer, type InformerEvent, type InformerOptions, type InformerState } from './informer';
import { KIND_SPECS, WATCHED_KINDS, type WatchedKind } from './kinds';

export interface Connectivity {
  /** Every served kind is listed and watched; false shows the "Kubernetes API unreachable" banner. */
  connected: boolean;
  synced: boolean;
  lastError: string | null;
  kinds: Record<WatchedKind, InformerState>;
}

export interface InformerRegistry {
  list(kind: WatchedKind, namespace?: string): KubeObject[];
  get(kind: WatchedKind, namespace: string, name: string): KubeObject | undefined;
  /** Every ADDED/MODIFIED/DELETED of every kind; returns the unsubscribe function. */
  subscribe(fn: (ev: InformerEvent) => void): () => void;
  /** Called when the connectivity of any kind changes. */
  onConnectivity(fn: (c: Connectivity) => void): () => void;
  connectivity(): Connectivity;
  /** Resolves true once every kind is synced, false after `timeoutMs`. */
  waitForSync(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface RegistryOptions extends InformerOptions {
  /**
   * The namespaces to watch, one list+watch per kind in each (what a namespaced Role allows); omitted or containing
   * `*`: one list+watch per kind across all namespaces (needs cluster-wide list/watch).
   */
  namespaces?: readonly string[];
}

/** The state of a kind watched in several namespaces: synced and connected only when every one is. */
function combined(states: InformerState[]): InformerState {
  if (states.length === 1) return states[0] as InformerState;
  return {
    synced: states.every((s) => s.synced),
    connected: states.every((s) => s.connected || !s.available),
    available: states.some((s) => s.available),
    lastError: states.find((s) => s.lastError)?.lastError ?? null,
    lastSyncAt: states.every((s) => s.lastSyncAt)
      ? (states.map((s) => s.lastSyncAt as string).sort()[0] ?? null)
      : null,
    relists: states.reduce((n, s) => n + s.relists, 0),
  };
}

/** The namespaces to watch one by one, or undefined for all at once. */
export function watchScope(namespaces: readonly string[] | undefined): string[] | undefined {
  if (!namespaces || namespaces.length === 0 || namespaces.includes('*')) return undefined;
  return [...new Set(namespaces)];
}

/** Informers for every watched kind (one per kind, or one per kind and namespace), started at once. */
export function createInformerRegistry(kc: KubeConfig, opts: RegistryOptions = {}): InformerRegistry {
  const scope = watchScope(opts.namespaces);
  const map = new Map<WatchedKind, Informer[]>(
    WATCHED_KINDS.map((k) => [
      k,
      scope
        ? scope.map((ns) => new Informer(KIND_SPECS[k], kc, opts, ns))
        : [new Informer(KIND_SPECS[k], kc, opts)],
    ]),
  );
  const at = (k: WatchedKind): Informer[] => map.get(k) ?? [];
  const all = (): Informer[] => [...map.values()].flat();
  /** The informers that can hold objects of the namespace (all of them without one). */
  const holding = (k: WatchedKind, ns?: string) =>
    at(k).filter((inf) => ns === undefined || inf.namespace === undefined || inf.namespace === ns);
  const connectivity = (): Connectivity => {
    const kinds = Object.fromEntries(
      WATCHED_KINDS.map((k) => [k, combined(at(k).map((inf) => inf.state))]),
    ) as Record<WatchedKind, InformerState>;
    const states = Object.values(kinds);
    return {
      connected: states.every((s) => s.connected || !s.available),
      synced: states.every((s) => s.synced),
      lastError: states.find((s) => s.lastError)?.lastError ?? null,
      kinds,
    };
  };
  const connListeners = new Set<(c: Connectivity) => void>();
  let last = '';
  const onState = () => {
    const c = connectivity();
    const key = JSON.stringify([c.connected, c.synced, c.lastError]);
    if (key === last) return;
    last = key;
    for (const fn of connListeners) fn(c);
  };
  for (const inf of all()) {
    inf.onState(onState);
    inf.start();
  }
  return {
    list: (kind, namespace) => holding(kind, namespace).flatMap((inf) => inf.list(namespace)),
    get: (kind, namespace, name) => {
      for (const inf of holding(kind, namespace)) {
        const o = inf.get(namespace, name);
        if (o) return o;
      }
      return undefined;
    },
    subscribe(fn) {
      const offs = all().map((inf) => inf.subscribe(fn));
      return () => {
        for (const off of offs) off();
      };
    },
    onConnectivity(fn) {
      connListeners.add(fn);
      return () => connListeners.delete(fn);
    },
    connectivity,
    async waitForSync(timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!connectivity().synced) {
        if (Date.now() > end) return false;
        await new Promise((r) => setTimeout(r, 25));
      }
      return true;
    },
    async stop() {
      await Promise.all(all().map((inf) => inf.stop()));
    },
  };
}
