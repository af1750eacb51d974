/** The routes this service knows; anything else is labelled "other" in metrics (bounded cardinality). */
export const ROUTES = ['/', '/api/work', '/api/flags', '/healthz', '/readyz', '/metrics'] as const;

export type Route = (typeof ROUTES)[number];
export type RouteLabel = Route | 'other';

const known = new Set<string>(ROUTES);

/** Matches the path of a request URL (query string ignored) to a route label. */
export function matchRoute(url: string | undefined): RouteLabel {
  const raw = url ?? '/';
  const queryAt = raw.search(/[?#]/);
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  return known.has(path) ? (path as Route) : 'other';
}

/** Routes where faults (errors, latency) are injected. Probes and metrics are never faulted. */
export function isFaultable(route: RouteLabel): boolean {
  return route === '/' || route === '/api/work';
}
