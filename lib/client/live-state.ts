import type { KubeObject } from '@/lib/rollout/kube-types';
import { applyWatchEvent, type WatchEventType } from '@/lib/rollout/watch-reducer';
import { WATCHED_KINDS } from '@/lib/rollout/watched-kinds';

/** The kinds the stream delivers. */
export const LIVE_KINDS = WATCHED_KINDS;
export type LiveKind = (typeof LIVE_KINDS)[number];
export const isLiveKind = (s: string): s is LiveKind => (LIVE_KINDS as readonly string[]).includes(s);

export type Objects = Record<LiveKind, KubeObject[]>;

export interface Connectivity {
  connected: boolean;
  synced: boolean;
  lastError: string | null;
}

export interface LiveState {
  /** The raw objects, kind by kind, as the last complete snapshot plus every event since. */
  objects: Objects;
  /** A snapshot is being received: objects collect here and replace `objects` at END. */
  staging: Objects | null;
  /** A complete snapshot has arrived at least once (before that, pages show their server-rendered data). */
  synced: boolean;
  /** The browser's connection to the control center's stream. */
  connection: 'connecting' | 'live' | 'offline';
  /** What the control center says about its connection to the Kubernetes API. */
  kube: Connectivity | null;
  lastEventId: string | null;
}

export const emptyObjects = (): Objects => ({
  rollout: [],
  analysisrun: [],
  replicaset: [],
  pod: [],
  virtualservice: [],
  event: [],
  configmap: [],
  job: [],
});

export const initialLiveState = (): LiveState => ({
  objects: emptyObjects(),
  staging: null,
  synced: false,
  connection: 'connecting',
  kube: null,
  lastEventId: null,
});

/** One thing that happened to the stream: an SSE message (event name, JSON data, id) or a connection change. */
export type LiveMessage =
  | { type: 'message'; event: string; data: unknown; id?: string | null }
  | { type: 'open' }
  | { type: 'error' };

const record = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

const WATCH_TYPES: readonly string[] = ['ADDED', 'MODIFIED', 'DELETED'];

function applyObject(objects: Objects, kind: LiveKind, type: WatchEventType, object: KubeObject): Objects {
  const list = objects[kind];
  const next = applyWatchEvent(list, { type, object });
  return next === list ? objects : { ...objects, [kind]: next };
}

/** The Kubernetes connectivity a `status` message carries. */
export function connectivityOf(o: Record<string, unknown>): Connectivity {
  return {
    connected: o.connected === true,
    synced: o.synced === true,
    lastError: typeof o.lastError === 'string' ? o.lastError : null,
  };
}

/** The connectivity of a `status` message's data (`{type, object}`), or null when it carries none. */
export const statusConnectivity = (data: unknown): Connectivity | null => {
  const c = record(record(data)?.object);
  return c ? connectivityOf(c) : null;
};

/**
 * The pure reducer from stream messages to state: `snapshot` BEGIN starts a fresh collection that replaces the
 * objects at END (so a re-snapshot after a long disconnect drops objects deleted meanwhile); watch events go through
 * `applyWatchEvent` (stale resourceVersions dropped); `status` carries the Kubernetes connectivity.
 */
export function liveReducer(state: LiveState, msg: LiveMessage): LiveState {
  if (msg.type === 'open') return state.connection === 'live' ? state : { ...state, connection: 'live' };
  if (msg.type === 'error')
    return state.connection === 'offline' ? state : { ...state, connection: 'offline' };
  const data = record(msg.data);
  const lastEventId = msg.id ? msg.id : state.lastEventId;
  const base = lastEventId === state.lastEventId ? state : { ...state, lastEventId };
  if (!data) return base;
  const object = record(data.object);
  if (msg.event === 'snapshot') {
    if (data.type === 'BEGIN') return { ...base, staging: emptyObjects() };
    if (data.type === 'END') {
      return {
        ...base,
        objects: base.staging ?? base.objects,
        staging: null,
        synced: true,
        connection: 'live',
      };
    }
    return base;
  }
  if (msg.event === 'status') {
    return object ? { ...base, kube: connectivityOf(object), connection: 'live' } : base;
  }
  if (!isLiveKind(msg.event) || !object || typeof data.type !== 'string' || !WATCH_TYPES.includes(data.type))
    return base;
  const type = data.type as WatchEventType;
  const obj = object as KubeObject;
  if (base.staging) return { ...base, staging: applyObject(base.staging, msg.event, type, obj) };
  const objects = applyObject(base.objects, msg.event, type, obj);
  return objects === base.objects ? base : { ...base, objects };
}

/** Applies a batch of messages (the store flushes once per frame). */
export const reduceAll = (state: LiveState, msgs: readonly LiveMessage[]): LiveState =>
  msgs.reduce(liveReducer, state);
