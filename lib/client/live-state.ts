/** What the control center says about its connection to the Kubernetes API (a stream's `status` message). */
export interface Connectivity {
  connected: boolean;
  synced: boolean;
  lastError: string | null;
}

/** A stream's link as the live indicator and the connectivity banner show it. */
export interface LiveState {
  /** A complete snapshot has arrived at least once (before that, pages show their server-rendered data). */
  synced: boolean;
  /** The browser's connection to the control center's stream. */
  connection: 'connecting' | 'live' | 'offline';
  /** What the control center says about its connection to the Kubernetes API. */
  kube: Connectivity | null;
}

const record = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

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
