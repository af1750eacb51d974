import 'server-only';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ApiError } from '../http/api-error';
import { kubeContexts } from '../runtime/request-context';
import { readyRegistry } from './cache-ready';
import type { InformerRegistry } from './registry';
import { listSummaries } from './rollout-views';

export interface ContextState {
  name: string;
  connected: boolean;
  /** The cache was filled (false: the API was unreachable from the start; no rows from it). */
  synced: boolean;
  lastError: string | null;
}

export interface ContextSummaries {
  /** Every rollout of every context asked for, each tagged with its context when several are configured. */
  items: RolloutSummary[];
  contexts: ContextState[];
}

/**
 * The overview rows of several kube contexts at once (their caches are awaited in parallel): a context whose API is
 * unreachable contributes no rows and says why in `contexts`, and never hides the others.
 */
export async function summariesOf(
  names: string[],
  namespace?: string,
  timeoutMs = 5000,
): Promise<ContextSummaries> {
  const tag = kubeContexts().several;
  const parts = await Promise.all(
    names.map(async (name) => {
      let reg: InformerRegistry;
      try {
        reg = await readyRegistry(timeoutMs, name);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return { items: [], state: { name, connected: false, synced: false, lastError: err.message } };
      }
      const items = listSummaries(reg, namespace).map((s) => (tag ? { ...s, context: name } : s));
      const { connected, lastError } = reg.connectivity();
      return { items, state: { name, connected, synced: true, lastError } };
    }),
  );
  return { items: parts.flatMap((p) => p.items), contexts: parts.map((p) => p.state) };
}
