'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { mergeLive } from '@/lib/client/live-merge';
import { needsAttention, rowKey, type SortKey } from '@/lib/client/select';
import { useLiveContexts } from '@/lib/client/use-live';
import { useNow } from '@/lib/client/use-now';
import { ShownRows } from '@/lib/overview/shown-rows';
import { SummaryRows } from '@/lib/overview/summary-rows';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { ConnectivityBanner } from '../live/connectivity-banner';
import { LiveIndicator } from '../live/live-indicator';
import { Code } from '../ui/code';
import { EmptyState } from '../ui/empty-state';
import { control, FilterSelect } from './filter-select';
import { RolloutTable } from './rollout-table';

/** At most this many SLO requests per refresh (the judge reads Prometheus for each). */
const MAX_SLO_QUERIES = 5;

/**
 * The overview, live: server-rendered rows first, then the rows built in the browser from the stream's raw objects
 * (the same pure `rolloutSummary` the API uses). A change rebuilds only the rows it touches (SummaryRows) and keeps
 * the order unless it moved them (ShownRows), so React re-renders the changed row and nothing else.
 */
export function OverviewLive({
  initialItems,
  initialError,
  initialNow,
  contexts = [],
  selected,
}: {
  initialItems: RolloutSummary[];
  initialError: string | null;
  initialNow: number;
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
  const states = useLiveContexts(streamed);
  const live = useMemo(
    () =>
      mergeLive(
        states,
        streamed.map((c) => c ?? ''),
      ),
    [states, streamed],
  );
  const now = useNow(5000, initialNow);
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

  // One SummaryRows per stream, and the shown rows, kept for as long as the streams are the same.
  const kept = useMemo(
    () => ({
      summaries: streamed.map((c) => new SummaryRows(contexts.length ? c : undefined)),
      shown: new ShownRows(),
    }),
    [streamed, contexts.length],
  );
  const rows = useMemo(() => {
    const parts = states.map((st, i) =>
      st.synced
        ? (kept.summaries[i] as SummaryRows).rows(st.objects)
        : initialItems.filter((r) => r.context === streamed[i]),
    );
    return parts.length === 1 ? (parts[0] as RolloutSummary[]) : parts.flat();
  }, [states, streamed, initialItems, kept]);
  const namespaces = useMemo(() => [...new Set(rows.map((r) => r.namespace))].sort(), [rows]);
  const shown = useMemo(
    () => kept.shown.shown(rows, { search, namespace, sort }),
    [kept, rows, search, namespace, sort],
  );
  const attention = useMemo(() => shown.filter(needsAttention), [shown]);
  const sloKeys = useMemo(
    () =>
      new Set(
        shown
          .filter((r) => r.canaryImage)
          .slice(0, MAX_SLO_QUERIES)
          .map(rowKey),
      ),
    [shown],
  );

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

      {rows.length === 0 ? (
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
                Needs attention ({attention.length})
              </h2>
              <RolloutTable
                rows={attention}
                caption="Rollouts that need attention"
                sloKeys={sloKeys}
                now={now}
                showContext={contexts.length > 0}
              />
            </section>
          ) : null}
          <section aria-labelledby="all-heading" className="space-y-2">
            <h2 id="all-heading" className="text-sm font-semibold">
              All rollouts ({shown.length})
            </h2>
            {shown.length ? (
              <RolloutTable
                rows={shown}
                caption="All rollouts"
                sloKeys={sloKeys}
                now={now}
                showContext={contexts.length > 0}
              />
            ) : (
              <p className="text-sm text-zinc-500">No rollout matches the search.</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
