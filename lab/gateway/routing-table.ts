import type { KubeObject, WatchEventType } from '../store/types';
import {
  type HttpMatchRequest,
  hostScore,
  matchAny,
  parseDurationMs,
  type RequestFacts,
} from './route-match';

/** The pod annotation with the port its webapp listens on (written by the lab's workloads). */
export const PORT_ANNOTATION = 'lab.rollouts.io/port';

export interface Endpoint {
  key: string;
  pod: string;
  namespace: string;
  port: number;
  /** The pod's controller (ReplicaSet) name, as Istio's destination_workload. */
  workload: string;
  version: string;
  canonicalService: string;
  app: string;
}

export interface Destination {
  /** `<namespace>/<service>/<subset>`: the key of its endpoint list and round-robin counter. */
  key: string;
  host: string;
  serviceName: string;
  serviceNamespace: string;
  subset?: string;
  weight: number;
  endpoints: Endpoint[];
}

export interface Fault {
  abort?: { percent: number; httpStatus: number };
  delay?: { percent: number; ms: number };
}

export interface CompiledRoute {
  name?: string;
  matches?: HttpMatchRequest[];
  destinations: Destination[];
  fault?: Fault;
  rewriteUri?: string;
  timeoutMs?: number;
}

interface VirtualHost {
  vs: string;
  namespace: string;
  hosts: string[];
  /** Hosts of the Gateways the VS is bound to; undefined = not restricted. */
  gatewayHosts?: string[];
  routes: CompiledRoute[];
}

export interface RouteResult {
  virtualService: string;
  namespace: string;
  route: CompiledRoute;
}

/** The kinds the routing table is built from (the gateway watches exactly these). */
export const ROUTING_KINDS = ['gateways', 'virtualservices', 'destinationrules', 'services', 'pods'] as const;
export type RoutingKind = (typeof ROUTING_KINDS)[number];

/** One change of a routing object, as the store's watch reports it (and as it crosses to the gateway's thread). */
export interface RoutingChange {
  kind: RoutingKind;
  type: WatchEventType;
  object: KubeObject;
}

/** Distinct request hosts remembered with their candidate virtual hosts (the Host header is the client's to choose). */
const HOST_CACHE_LIMIT = 1024;

/**
 * The gateway's routing table, kept from watch changes (no listing per request): VirtualServices bound to Gateways,
 * their routes compiled to Services → Ready pods with a port. Rebuilt lazily after a change; the virtual hosts that
 * serve a request host are remembered until the next change.
 */
export class RoutingTable {
  private readonly objects = new Map<RoutingKind, Map<string, KubeObject>>(
    ROUTING_KINDS.map((k) => [k, new Map()]),
  );
  private readonly rr = new Map<string, number>();
  private readonly endpointCache = new Map<string, Endpoint[]>();
  private readonly hostCache = new Map<string, VirtualHost[]>();
  private vhosts: VirtualHost[] = [];
  private dirty = true;

  apply(change: RoutingChange): void {
    const map = this.objects.get(change.kind);
    if (!map) return;
    const key = `${change.object.metadata.namespace}/${change.object.metadata.name}`;
    if (change.type === 'DELETED') map.delete(key);
    else map.set(key, change.object);
    this.dirty = true;
  }

  route(facts: RequestFacts): RouteResult | undefined {
    if (this.dirty) this.rebuild();
    for (const vh of this.candidates(facts.host)) {
      const route = vh.routes.find((r) => matchAny(r.matches, facts));
      if (route) return { virtualService: vh.vs, namespace: vh.namespace, route };
    }
    return undefined;
  }

  /** The virtual hosts serving `host`, most specific host match first. */
  private candidates(host: string): VirtualHost[] {
    let found = this.hostCache.get(host);
    if (found) return found;
    found = this.vhosts
      .map((vh) => ({ vh, score: Math.max(0, ...vh.hosts.map((h) => hostScore(h, host))) }))
      .filter(
        ({ vh, score }) =>
          score > 0 && (!vh.gatewayHosts || vh.gatewayHosts.some((h) => hostScore(h, host) > 0)),
      )
      .sort((a, b) => b.score - a.score)
      .map(({ vh }) => vh);
    if (this.hostCache.size >= HOST_CACHE_LIMIT) this.hostCache.clear();
    this.hostCache.set(host, found);
    return found;
  }

  /** Weighted choice among a route's destinations (per request). */
  pickDestination(route: CompiledRoute): Destination | undefined {
    const ds = route.destinations;
    const total = ds.reduce((s, d) => s + d.weight, 0);
    if (total <= 0) return ds[0];
    let r = Math.random() * total;
    for (const d of ds) {
      r -= d.weight;
      if (r < 0) return d;
    }
    return ds[ds.length - 1];
  }

  /** Round-robin over the destination's Ready endpoints, skipping `exclude` (an endpoint that just failed). */
  pickEndpoint(dest: Destination, exclude?: string): Endpoint | undefined {
    if (this.dirty) this.rebuild();
    const key = dest.key;
    const fresh = this.endpointsOf(key, dest.serviceNamespace, dest.serviceName, dest.subset);
    const eps = exclude ? fresh.filter((e) => e.key !== exclude) : fresh;
    if (!eps.length) return undefined;
    const n = this.rr.get(key) ?? 0;
    this.rr.set(key, n + 1);
    return eps[n % eps.length];
  }

  private all(kind: RoutingKind): KubeObject[] {
    return [...(this.objects.get(kind)?.values() ?? [])];
  }

  private rebuild(): void {
    this.dirty = false;
    this.endpointCache.clear();
    this.hostCache.clear();
    const gateways = this.objects.get('gateways') ?? new Map();
    const vss = this.all('virtualservices').sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    const vhosts: VirtualHost[] = [];
    for (const vs of vss) {
      const ns = vs.metadata.namespace ?? '';
      const spec = (vs.spec ?? {}) as { hosts?: string[]; gateways?: string[]; http?: RawRoute[] };
      let gatewayHosts: string[] | undefined;
      if (spec.gateways?.length) {
        const refs = spec.gateways.filter((g) => g !== 'mesh');
        const bound = refs
          .map((g) => gateways.get(g.includes('/') ? g : `${ns}/${g}`))
          .filter((g): g is KubeObject => Boolean(g));
        if (!bound.length) continue; // mesh-only or unbound: not served by the ingress gateway
        gatewayHosts = bound.flatMap((g) =>
          ((g.spec as { servers?: Array<{ hosts?: string[] }> }).servers ?? []).flatMap((s) =>
            (s.hosts ?? []).map((h) => h.slice(h.indexOf('/') + 1)),
          ),
        );
      }
      vhosts.push({
        vs: vs.metadata.name ?? '',
        namespace: ns,
        hosts: spec.hosts ?? [],
        gatewayHosts,
        routes: (spec.http ?? []).map((r) => this.compileRoute(r, ns)),
      });
    }
    this.vhosts = vhosts;
  }

  private compileRoute(r: RawRoute, ns: string): CompiledRoute {
    const routes = r.route ?? [];
    const anyWeight = routes.some((d) => d.weight !== undefined);
    const destinations = routes.map((d) => {
      const { name, namespace } = serviceOf(d.destination?.host ?? '', ns);
      const subset = d.destination?.subset;
      const key = `${namespace}/${name}/${subset ?? ''}`;
      return {
        key,
        host: `${name}.${namespace}.svc.cluster.local`,
        serviceName: name,
        serviceNamespace: namespace,
        subset,
        weight: d.weight ?? (anyWeight ? 0 : routes.length === 1 ? 100 : 1),
        endpoints: this.endpointsOf(key, namespace, name, subset),
      };
    });
    const pct = (f: { percentage?: { value?: number }; percent?: number } | undefined) =>
      f?.percentage?.value ?? f?.percent ?? 100;
    const fault: Fault | undefined = r.fault
      ? {
          abort: r.fault.abort
            ? { percent: pct(r.fault.abort), httpStatus: r.fault.abort.httpStatus ?? 503 }
            : undefined,
          delay: r.fault.delay
            ? {
                percent: pct(r.fault.delay),
                ms: parseDurationMs(r.fault.delay.fixedDelay ?? r.fault.delay.exponentialDelay),
              }
            : undefined,
        }
      : undefined;
    return {
      name: r.name,
      matches: r.match,
      destinations,
      fault,
      rewriteUri: r.rewrite?.uri,
      timeoutMs: r.timeout ? parseDurationMs(r.timeout) : undefined,
    };
  }

  /** The Ready endpoints of a destination, computed once per table version. */
  private endpointsOf(key: string, namespace: string, service: string, subset?: string): Endpoint[] {
    let eps = this.endpointCache.get(key);
    if (!eps) {
      eps = this.destinationEndpoints(namespace, service, subset);
      this.endpointCache.set(key, eps);
    }
    return eps;
  }

  private destinationEndpoints(namespace: string, service: string, subset?: string): Endpoint[] {
    const svc = this.objects.get('services')?.get(`${namespace}/${service}`);
    if (!svc) return [];
    const selector: Record<string, string> = {
      ...((svc.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {}),
    };
    if (!Object.keys(selector).length) return [];
    if (subset) Object.assign(selector, this.subsetLabels(namespace, service, subset));
    return this.all('pods')
      .filter((p) => p.metadata.namespace === namespace && labelsMatch(p, selector))
      .map(endpointOf)
      .filter((e): e is Endpoint => Boolean(e))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  private subsetLabels(namespace: string, service: string, subset: string): Record<string, string> {
    for (const dr of this.all('destinationrules')) {
      if (dr.metadata.namespace !== namespace) continue;
      const spec = dr.spec as {
        host?: string;
        subsets?: Array<{ name: string; labels?: Record<string, string> }>;
      };
      if (serviceOf(spec.host ?? '', namespace).name !== service) continue;
      const s = spec.subsets?.find((x) => x.name === subset);
      if (s) return s.labels ?? {};
    }
    return { 'lab.rollouts.io/missing-subset': subset }; // unknown subset: no endpoints (Istio answers 503)
  }
}

interface RawRoute {
  name?: string;
  match?: HttpMatchRequest[];
  route?: Array<{ destination?: { host?: string; subset?: string }; weight?: number }>;
  fault?: {
    abort?: { percentage?: { value?: number }; percent?: number; httpStatus?: number };
    delay?: {
      percentage?: { value?: number };
      percent?: number;
      fixedDelay?: string;
      exponentialDelay?: string;
    };
  };
  rewrite?: { uri?: string };
  timeout?: string;
}

/** `webapp-stable`, `webapp-stable.demo`, `webapp-stable.demo.svc.cluster.local` → Service name and namespace. */
export function serviceOf(host: string, defaultNamespace: string): { name: string; namespace: string } {
  const parts = host.split('.');
  return { name: parts[0] ?? '', namespace: parts[1] && parts[1] !== 'svc' ? parts[1] : defaultNamespace };
}

function labelsMatch(p: KubeObject, selector: Record<string, string>): boolean {
  const labels = p.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function endpointOf(p: KubeObject): Endpoint | undefined {
  if (p.metadata.deletionTimestamp) return undefined;
  const status = p.status as
    | { phase?: string; conditions?: Array<{ type: string; status: string }> }
    | undefined;
  if (status?.phase !== 'Running') return undefined;
  if (!status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return undefined;
  const port = Number(p.metadata.annotations?.[PORT_ANNOTATION]);
  if (!port) return undefined;
  const labels = p.metadata.labels ?? {};
  const owner = p.metadata.ownerReferences?.find((o) => o.controller) ?? p.metadata.ownerReferences?.[0];
  const image = (
    (p.spec as { containers?: Array<{ image?: string }> } | undefined)?.containers?.[0]?.image ?? ''
  )
    .split('@')[0]
    ?.split('/')
    .pop();
  const tag = image?.includes(':') ? image.slice(image.indexOf(':') + 1) : 'latest';
  const app = labels['app.kubernetes.io/name'] ?? labels.app ?? 'unknown';
  return {
    key: `${p.metadata.namespace}/${p.metadata.name}`,
    pod: p.metadata.name ?? '',
    namespace: p.metadata.namespace ?? '',
    port,
    workload: owner?.name ?? p.metadata.name ?? 'unknown',
    version: labels['service.istio.io/canonical-revision'] ?? labels.version ?? tag,
    canonicalService: labels['service.istio.io/canonical-name'] ?? app,
    app,
  };
}
