import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import type { LiveState } from './live-state';
import { liveSummaries } from './select';

/** What the live indicator and the connectivity banner show of a stream. */
export type LiveLink = Pick<LiveState, 'connection' | 'kube' | 'synced'>;

/**
 * One indicator state for several streams (one per kube context): offline if any is, connecting until all are live,
 * synced when all are; the Kubernetes connectivity names the first context whose API is unreachable.
 */
export function mergeLive<T extends LiveLink>(states: readonly T[], names: readonly string[]): T | LiveLink {
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

/**
 * The overview rows of several contexts: a context whose stream has its snapshot gives rows rebuilt from it (tagged
 * with the context); one still connecting keeps its server-rendered rows.
 */
export function contextRows(
  states: readonly LiveState[],
  names: readonly (string | undefined)[],
  initial: readonly RolloutSummary[],
  now: number,
): RolloutSummary[] {
  return states.flatMap((st, i) => {
    const context = names[i];
    if (!st.synced) return initial.filter((r) => r.context === context);
    const rows = liveSummaries(st.objects, now);
    return context ? rows.map((r) => ({ ...r, context })) : rows;
  });
}
