import type { HttpRoute, VirtualService } from './types';

/** Whether a route destination host names the service (short name or FQDN). */
export function hostMatches(host: string, service: string): boolean {
  return host === service || host.startsWith(`${service}.`);
}

export interface WeightTarget {
  routes?: string[];
  canaryService: string;
  stableService: string;
}

function selectedRoutes(
  vs: VirtualService,
  routes: string[] | undefined,
): { found: HttpRoute[]; missing?: string } {
  const http = vs.spec?.http ?? [];
  if (!routes || routes.length === 0) return { found: http };
  const found: HttpRoute[] = [];
  for (const name of routes) {
    const r = http.find((h) => h.name === name);
    if (!r) return { found, missing: name };
    found.push(r);
  }
  return { found };
}

/** Why the VirtualService cannot carry the split (Argo's validation messages), or undefined when it can. */
export function virtualServiceProblem(vs: VirtualService, t: WeightTarget): string | undefined {
  const { found, missing } = selectedRoutes(vs, t.routes);
  if (missing) return `HTTP Route '${missing}' is not found in the defined Virtual Service.`;
  if (found.length === 0) return 'Virtual Service has no HTTP routes';
  for (const r of found) {
    const dests = r.route ?? [];
    const canary = dests.some((d) => hostMatches(d.destination.host, t.canaryService));
    const stable = dests.some((d) => hostMatches(d.destination.host, t.stableService));
    if (!canary || !stable)
      return `Istio Virtual Service has invalid HTTP routes. Error: Stable Service '${t.stableService}' or Canary Service '${t.canaryService}' not found in route '${r.name ?? ''}'`;
  }
  return undefined;
}

/** The canary weight the VirtualService carries now (first selected route). */
export function currentCanaryWeight(vs: VirtualService | undefined, t: WeightTarget): number {
  if (!vs) return 0;
  const r = selectedRoutes(vs, t.routes).found[0];
  const d = r?.route?.find((x) => hostMatches(x.destination.host, t.canaryService));
  return d?.weight ?? 0;
}

/** The VirtualService with canary = weight and stable = 100 - weight on every selected route (pure). */
export function withWeights(vs: VirtualService, t: WeightTarget, weight: number): VirtualService {
  const next = structuredClone(vs);
  const names = t.routes && t.routes.length > 0 ? new Set(t.routes) : undefined;
  for (const r of next.spec?.http ?? []) {
    if (names && !names.has(r.name ?? '')) continue;
    for (const d of r.route ?? []) {
      if (hostMatches(d.destination.host, t.canaryService)) d.weight = weight;
      else if (hostMatches(d.destination.host, t.stableService)) d.weight = 100 - weight;
    }
  }
  return next;
}
