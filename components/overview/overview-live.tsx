'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { mergeLive } from '@/lib/client/live-merge';
import { needsAttention, rowKey, type SortKey } from '@/lib/client/select';
import { useOverviewContexts } from '@/lib/client/use-overview';
import { sameItems } from '@/lib/overview/same-items';
import { ShownRows } from '@/lib/overview/shown-rows';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ConnectivityBanner } from '../live/connectivity-banner';
import { LiveIndicator } from '../live/live-indicator';
import { Code } from '../ui/code';
import { EmptyState } from '../ui/empty-state';
import { control, FilterSelect } from './filter-select';
import { RolloutTable } from './rollout-table';

/** At most this many SLO requests per refresh (the judge reads Prometheus for each). */
const MAX_SLO_QUERIES = 5;

/** `next`, or `prev` when it holds the same items (so what depends on it does not render again). */
function useSteady<A extends readonly unknown[]>(next: A): A {
  const kept = useRef(next);
  if (!sameItems(kept.current, next)) kept.current = next;
  return kept.current;
}

/** Per kube context ('' when only one is configured): its rows and those needing attention, of which the server sent the first. */
export type InitialCounts = Record<string, { total: number; attention: number }>;

/**
 * The overview, live: the first screen of rows server-rendered (with how many there are in all), then the rows the server projects per kube context
 * (`/api/v1/stream?shape=summary`: a snapshot, then only the rows a change touched). A delta replaces only its rows
 * (OverviewStore) and the order moves only the rows it moved (ShownRows), so React re-renders the changed row and
 * nothing else.
 */
export function OverviewLive({
  initialItems,
  initialCounts = {},
  initialError,
  contexts = [],
  selected,
}: {
  initialItems: RolloutSummary[];
  /** How many rows there are beyond `initialItems` (none given: they are all the rows). */
  initialCounts?: InitialCounts;
  initialError: string | null;
  /** The configured kube contexts when there are several (the picker and the Context column), else empty. */
  contexts?: string[];
  /** The context picked (`?context=`); undefined: every context. */
  selected?: string;
}) {
  const router = useRouter();
  const streamed = useMemo(
    () => (contexts.length === 0 ? [undefined] : selected ? [selected] : contexts),
    [contexts, selected],
  );
  const states = useOverviewContexts(streamed, contexts.length > 0);
  const live = useMemo(
    () =>
      mergeLive(
        states,
        streamed.map((c) => c ?? ''),
      ),
    [states, streamed],
  );
  const [search, setSearch] = useState('');
  const [namespace, setNamespace] = useState('');
  const [sort, setSort] = useState<SortKey>('attention');
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // The shown rows, kept for as long as the streams are the same.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new set of streams starts a new order
  const kept = useMemo(() => new ShownRows(), [streamed]);
  const rows = useMemo(() => {
    const parts = states.map((st, i) =>
      st.synced ? st.rows : initialItems.filter((r) => r.context === streamed[i]),
    );
    return parts.length === 1 ? (parts[0] as RolloutSummary[]) : parts.flat();
  }, [states, streamed, initialItems]);
  // Rows the server counted but did not send, of contexts whose stream has not given its snapshot yet.
  const pending = useMemo(() => {
    let total = 0;
    let attention = 0;
    states.forEach((st, i) => {
      const c = initialCounts[streamed[i] ?? ''];
      if (st.synced || !c) return;
      const sent = initialItems.filter((r) => r.context === streamed[i]);
      total += Math.max(0, c.total - sent.length);
      attention += Math.max(0, c.attention - sent.filter(needsAttention).length);
    });
    return { total, attention };
  }, [states, streamed, initialItems, initialCounts]);
  const namespaces = useSteady(useMemo(() => [...new Set(rows.map((r) => r.namespace))].sort(), [rows]));
  const shown = useMemo(
    () => kept.shown(rows, { search, namespace, sort }),
    [kept, rows, search, namespace, sort],
  );
  const attention = useSteady(useMemo(() => shown.filter(needsAttention), [shown]));
  const sloRows = useSteady(
    useMemo(
      () =>
        shown
          .filter((r) => r.canaryImage)
          .slice(0, MAX_SLO_QUERIES)
          .map(rowKey),
      [shown],
    ),
  );
  const sloKeys = useMemo(() => new Set(sloRows), [sloRows]);
  // Until the rest has come, the headings count it too when no search or namespace narrows the rows.
  const unfiltered = search.trim() === '' && namespace === '';
  const allCount = shown.length + (unfiltered ? pending.total : 0);
  const attentionCount = attention.length + (unfiltered ? pending.attention : 0);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight">Rollouts</h1>
        <LiveIndicator live={live} />
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {contexts.length > 0 ? (
            <FilterSelect
              id="context-picker"
              label="Kube context"
              allLabel="All contexts"
              options={contexts}
              value={selected ?? ''}
              onChange={(c) => router.push(c ? `/?context=${encodeURIComponent(c)}` : '/')}
            />
          ) : null}
          <FilterSelect
            id="ns-filter"
            label="Namespace"
            allLabel="All namespaces"
            options={namespaces}
            value={namespace}
            onChange={setNamespace}
          />
          <label className="sr-only" htmlFor="sort">
            Sort by
          </label>
          <select
            id="sort"
            className={control}
            value={sort}
            onChange={(e) => setSort(e.target.value as SortKey)}
          >
            <option value="attention">Sort: attention</option>
            <option value="name">Sort: name</option>
            <option value="age">Sort: age</option>
          </select>
          <input
            ref={searchRef}
            type="search"
            aria-label="Search rollouts"
            placeholder="Search…  ( / )"
            className={`${control} w-56`}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      </div>

      <ConnectivityBanner live={live} initialError={initialError} />

      {rows.length === 0 && pending.total === 0 ? (
        <EmptyState title="No rollouts found">
          <p>
            No rollouts found in namespaces you can see. Run <Code>./run.sh local</Code> for a demo cluster.
          </p>
        </EmptyState>
      ) : (
        <>
          {attention.length > 0 ? (
            <section aria-labelledby="attention-heading" className="space-y-2">
              <h2 id="attention-heading" className="text-sm font-semibold">
                Needs attention ({attentionCount})
              </h2>
              <RolloutTable
                rows={attention}
                caption="Rollouts that need attention"
                sloKeys={sloKeys}
                showContext={contexts.length > 0}
              />
            </section>
          ) : null}
          <section aria-labelledby="all-heading" className="space-y-2">
            <h2 id="all-heading" className="text-sm font-semibold">
              All rollouts ({allCount})
            </h2>
            {pending.total > 0 ? (
              <p className="text-xs text-zinc-500" data-testid="rows-pending">
                Showing {rows.length} of {rows.length + pending.total}; the rest are on their way
                {unfiltered && sort === 'attention'
                  ? ''
                  : ' (until then search, filters and sort see only these)'}
                .
              </p>
            ) : null}
            {shown.length ? (
              <RolloutTable
                rows={shown}
                caption="All rollouts"
                sloKeys={sloKeys}
                showContext={contexts.length > 0}
              />
            ) : (
              <p className="text-sm text-zinc-500">
                {pending.total > 0
                  ? `None of the ${rows.length} rows here matches; the other ${pending.total} are on their way.`
                  : 'No rollout matches the search.'}
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
