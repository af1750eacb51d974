import 'server-only';
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/**
 * Connection reuse for requests to the API server. client-node (1.4) builds a new `https.Agent` for every request
 * (`applySecurityAuthentication`, `applyToHTTPSOptions`), so every read paid a TCP connect and a full TLS handshake
 * (the judge: three per call; at 100 calls/s a third of the server's CPU went to `node tls`). The fresh agent carries
 * the request's TLS material; the pool swaps it for one long-lived keep-alive agent per distinct TLS material, so a
 * rotated client certificate or CA gets its own agent and the old one is closed. Proxy agents (socks, http(s) proxy)
 * are passed through untouched.
 */

/** Agents kept at once: one per context and TLS material; the oldest is closed beyond this. */
const MAX_AGENTS = 16;
/** Sockets per agent and host: bounds what a burst of reads may open against the API server. */
const MAX_SOCKETS = 32;
const MAX_FREE_SOCKETS = 8;
/** An idle pooled socket is closed after this long (the API server closes its own idle ones later). */
const IDLE_SOCKET_MS = 15_000;

const TLS_KEYS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
  'ciphers',
  'crl',
  'secureProtocol',
  'secureOptions',
] as const;

const pool = new Map<string, http.Agent>();

function material(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return createHash('sha256').update(value).digest('hex');
  if (Array.isArray(value)) return value.map(material);
  return value;
}

function keyOf(kind: 'http' | 'https', options: Record<string, unknown>): string {
  const parts = TLS_KEYS.map((k) => [k, material(options[k])]);
  return createHash('sha256')
    .update(JSON.stringify([kind, parts]))
    .digest('hex');
}

/**
 * The pooled keep-alive agent for the TLS material of `fresh` (an agent client-node just made for one request), or
 * `fresh` itself when it is not a plain http(s) agent. Returns `undefined` for `undefined`.
 */
export function pooledAgent<T>(fresh: T): T | http.Agent {
  if (!fresh || typeof fresh !== 'object') return fresh;
  const ctor = (fresh as object).constructor;
  const kind = ctor === https.Agent ? 'https' : ctor === http.Agent ? 'http' : null;
  if (!kind) return fresh;
  const options = ((fresh as unknown as { options?: Record<string, unknown> }).options ?? {}) as Record<
    string,
    unknown
  >;
  const key = keyOf(kind, options);
  const hit = pool.get(key);
  if (hit) {
    // most recently used last, so the oldest is evicted first
    pool.delete(key);
    pool.set(key, hit);
    return hit;
  }
  const tls: Record<string, unknown> = {};
  for (const k of TLS_KEYS) if (options[k] !== undefined) tls[k] = options[k];
  const common = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS,
    maxFreeSockets: MAX_FREE_SOCKETS,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo' as const,
  };
  const agent = kind === 'https' ? new https.Agent({ ...tls, ...common }) : new http.Agent(common);
  pool.set(key, agent);
  while (pool.size > MAX_AGENTS) {
    const [oldestKey, oldest] = pool.entries().next().value as [string, http.Agent];
    pool.delete(oldestKey);
    oldest.destroy();
  }
  return agent;
}

/** How many pooled agents exist (for tests and diagnostics). */
export function pooledAgentCount(): number {
  return pool.size;
}
