import type { KubeObject } from '@/lib/rollout/kube-types';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';

/** Needs a human: paused, degraded or aborted (the view's needsAttention), or progressing while analysis fails. */
export function needsAttention(s: RolloutSummary): boolean {
  return (
    s.needsAttention ||
    (s.phase === 'Progressing' && (s.analysisPhase === 'Failed' || s.analysisPhase === 'Error'))
  );
}

const PHASE_RANK: Record<string, number> = { Degraded: 0, Paused: 1, Progressing: 2, Unknown: 3, Healthy: 4 };

export type SortKey = 'attention' | 'name' | 'age';
export interface OverviewFilter {
  search: string;
  namespace: string;
  sort: SortKey;
}

const fullName = (s: RolloutSummary) => `${s.namespace}/${s.name}`;

/** A row's identity: `namespace/name`, prefixed with the kube context when it has one. */
export const rowKey = (s: RolloutSummary): string =>
  s.context ? `${s.context}/${fullName(s)}` : fullName(s);
const created = (s: RolloutSummary) => Date.parse(s.createdAt ?? '') || 0;

const byName = (a: RolloutSummary, b: RolloutSummary) => fullName(a).localeCompare(fullName(b));
const ORDERS: Record<SortKey, (a: RolloutSummary, b: RolloutSummary) => number> = {
  name: byName,
  age: (a, b) => created(b) - created(a) || byName(a, b),
  attention: (a, b) =>
    Number(needsAttention(b)) - Number(needsAttention(a)) ||
    (PHASE_RANK[a.phase] ?? 3) - (PHASE_RANK[b.phase] ?? 3) ||
    byName(a, b),
};

/** The overview's order by `sort`, as a comparison (negative: `a` goes first). */
export const rowOrder = (sort: SortKey): ((a: RolloutSummary, b: RolloutSummary) => number) => ORDERS[sort];

/** Filters (namespace, search over name, namespace and images) and sorts the overview rows. */
export function filterAndSort(rows: readonly RolloutSummary[], f: OverviewFilter): RolloutSummary[] {
  const q = f.search.trim().toLowerCase();
  const kept = rows.filter(
    (s) =>
      (!f.namespace || s.namespace === f.namespace) &&
      (!q ||
        [rowKey(s), s.stableImage ?? '', s.canaryImage ?? '', s.phase].some((t) =>
          t.toLowerCase().includes(q),
        )),
  );
  return [...kept].sort(rowOrder(f.sort));
}

export interface TimelineEntry {
  key: string;
  at: string | null;
  type: string;
  reason: string;
  message: string;
  object: string;
  count: number;
  source: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Kubernetes Events about a rollout and its children (names `<rollout>` or `<rollout>-…`), newest first. */
export function timeline(events: readonly KubeObject[], namespace: string, rollout: string): TimelineEntry[] {
  return events
    .map((e) => {
      const inv = (e.involvedObject ?? {}) as { kind?: string; name?: string; namespace?: string };
      const src = (e.source ?? {}) as { component?: string };
      return {
        e,
        inv,
        entry: {
          key: `${e.metadata?.namespace}/${e.metadata?.name}`,
          at: str(e.lastTimestamp) || str(e.eventTime) || str(e.firstTimestamp) || null,
          type: str(e.type) || 'Normal',
          reason: str(e.reason),
          message: str(e.message),
          object: `${(inv.kind ?? '').toLowerCase()}/${inv.name ?? ''}`,
          count: typeof e.count === 'number' ? e.count : 1,
          source: src.component ?? str(e.reportingComponent),
        },
      };
    })
    .filter(
      ({ e, inv }) =>
        (inv.namespace ?? e.metadata?.namespace) === namespace &&
        (inv.name === rollout || (inv.name ?? '').startsWith(`${rollout}-`)),
    )
    .map(({ entry }) => entry)
    .sort((a, b) => (Date.parse(b.at ?? '') || 0) - (Date.parse(a.at ?? '') || 0));
}

/** Canary faults keyed by version tag. */
export type Faults = Record<string, { errorRate?: number; latencyMs?: number }>;

/** The canary faults currently set in ConfigMap webapp-faults (faults.json keyed by version tag). */
export function faultsOf(configmaps: readonly KubeObject[], namespace: string): Faults {
  const cm = configmaps.find(
    (c) => c.metadata?.namespace === namespace && c.metadata?.name === 'webapp-faults',
  );
  const text = (cm?.data as Record<string, string> | undefined)?.['faults.json'];
  try {
    const v: unknown = JSON.parse(text ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Faults) : {};
  } catch {
    return {};
  }
}
