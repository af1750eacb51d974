import { hashKey, type QueryClient, replaceEqualDeep } from '@tanstack/react-query';
import type { RolloutPage } from '@/lib/rollout/page-patch';
import { type PageWhere, pageQueryKey } from './rollout-page-store';

/** A panel's view of one slice of the live page in the query cache (what `useSyncExternalStore` takes). */
export interface PageSlice<T> {
  /** Calls `changed` after each update of the page's query; returns the unsubscribe. */
  subscribe(changed: () => void): () => void;
  /** The slice now: the same object as last time while the page, or what `select` makes of it, is unchanged. */
  get(): T;
}

/**
 * One slice of the live rollout page, read straight from the query cache's entry: `select` runs once per new page, and
 * its result shares every unchanged part with the previous one (the cache's structural sharing), so a panel renders
 * again only when its own slice moved. Unlike a query observer per panel, nothing is computed for fetch state the page
 * never has (it is only ever set by the stream), and nothing runs on a render that did not come from the cache.
 * The page's scope keeps the entry alive (one observer) and puts the server-rendered page in it first; `initial`
 * stands in if it is not there.
 */
export function pageSlice<T>(
  client: QueryClient,
  where: PageWhere,
  initial: RolloutPage,
  select: (page: RolloutPage) => T,
): PageSlice<T> {
  const cache = client.getQueryCache();
  const hash = hashKey(pageQueryKey(where));
  let from: RolloutPage | undefined;
  let value: T;
  return {
    subscribe(changed) {
      return cache.subscribe((e) => {
        if (e.type === 'updated' && e.query.queryHash === hash) changed();
      });
    },
    get() {
      const page = (cache.get(hash)?.state.data as RolloutPage | undefined) ?? initial;
      if (page !== from) {
        value = from === undefined ? select(page) : (replaceEqualDeep(value, select(page)) as T);
        from = page;
      }
      return value;
    },
  };
}
