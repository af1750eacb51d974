import 'server-only';
import { rowOrder } from '@/lib/client/select';
import { firstRows } from '@/lib/overview/first-rows';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ApiError } from '../http/api-error';
import { runtime } from '../runtime/current';
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

/** A context's cache, awaited; or why it has none (unreachable from the start: no rows from it). */
async function ready(
  name: string,
  timeoutMs: number,
): Promise<{ reg: InformerRegistry } | { reg: null; state: ContextState }> {
  try {
    return { reg: await readyRegistry(timeoutMs, name) };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { reg: null, state: { name, connected: false, synced: false, lastError: err.message } };
  }
}

const stateOf = (name: string, reg: InformerRegistry): ContextState => {
  const { connected, lastError } = reg.connectivity();
  return { name, connected, synced: true, lastError };
};

export interface FirstScreenOf {
  /** The first rows of every context asked for together, in the overview's default order (attention first). */
  items: RolloutSummary[];
  /**
   * Per context, keyed as its rows are tagged (its name when several are configured, '' for the only one): how many
   * rows it has, and how many of them need attention.
   */
  counts: Record<string, { total: number; attention: number }>;
  contexts: ContextState[];
}

/**
 * The overview's first screen, for the page's server render: at most `n` rows, the first in the default order of all
 * the contexts asked for, taken from each context's summary projection (the rows its overview streams send), and the
 * counts of all rows. The rest come with the live stream.
 */
export async function firstScreenOf(names: string[], n: number, timeoutMs: number): Promise<FirstScreenOf> {
  const tag = kubeContexts().several;
  const parts = await Promise.all(
    names.map(async (name) => {
      const r = await ready(name, timeoutMs);
      if (!r.reg) return { name, rows: [], total: 0, attention: 0, state: r.state };
      const screen = runtime().context(name).summaries.firstScreen(n);
      const rows = tag ? screen.rows.map((s) => ({ ...s, context: name })) : screen.rows;
      return { name, ...screen, rows, state: stateOf(name, r.reg) };
    }),
  );
  return {
    items: firstRows(
      parts.flatMap((p) => p.rows),
      n,
      rowOrder('attention'),
    ),
    counts: Object.fromEntries(
      parts.map((p) => [tag ? p.name : '', { total: p.total, attention: p.attention }]),
    ),
    contexts: parts.map((p) => p.state),
  };
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
      const r = await ready(name, timeoutMs);
      if (!r.reg) return { items: [], state: r.state };
      const items = listSummaries(r.reg, namespace).map((s) => (tag ? { ...s, context: name } : s));
      return { items, state: stateOf(name, r.reg) };
    }),
  );
  return { items: parts.flatMap((p) => p.items), contexts: parts.map((p) => p.state) };
}
