import type { LiveState } from './live-state';

/**
 * One indicator state for several streams (one per kube context): offline if any is, connecting until all are live,
 * synced when all are; the Kubernetes connectivity names the first context whose API is unreachable.
 */
export function mergeLive<T extends LiveState>(
  states: readonly T[],
  names: readonly string[],
): T | LiveState {
  if (states.length === 1) return states[0] as T;
  const connection = states.some((s) => s.connection === 'offline')
    ? 'offline'
    : states.every((s) => s.connection === 'live')
      ? 'live'
      : 'connecting';
  const kubes = states.map((s) => s.kube);
  const down = kubes.findIndex((k) => k && !k.connected);
  const downKube = down >= 0 ? kubes[down] : undefined;
  return {
    synced: states.every((s) => s.synced),
    connection,
    kube: kubes.every((k) => k !== null)
      ? {
          connected: down < 0,
          synced: kubes.every((k) => k?.synced),
          lastError: downKube ? `context ${names[down]}: ${downKube.lastError ?? 'unreachable'}` : null,
        }
      : null,
  };
}
