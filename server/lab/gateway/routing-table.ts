import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
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

const KINDS = ['gateways', 'virtualservices', 'destinationrules', 'services', 'pods'] as const;
type Kind = (typeof KINDS)[number];

/**
 * The gateway's routing table, kept from store watches (no listing per request): VirtualServices bound to Gateways,
 * their routes compiled to Services → Ready pods with a port. Rebuilt lazily after a change.
 */
export class RoutingTable {
  private readonly objects = new Map<Kind, Map<string, KubeObject>>();
  private readonly unwatch: Array<() => void> = [];
  private readonly rr = new Map<string, number>();
  private readonly endpointCache = new Map<string, Endpoint[]>();
  private vhosts: VirtualHost[] = [];
  private dirty = true;

  constructor(store: LabStore) {
    for (const kind of KINDS) {
      const map = new Map<string, KubeObject>();
      this.objects.set(kind, map);
      this.unwatch.push(
        store.watch(resource(kind), {}, (ev) => {
          const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
          if (ev.type === 'DELETED') map.delete(key);
          else map.set(key, ev.object);
          this.dirty = true;
        }),
      );
    }
  }

  stop(): void {
    for (const u of this.unwatch) u();
  }

  route(facts: RequestFacts): RouteResult | undefined {
    if (this.dirty) this.rebuild();
    const candidates = this.vhosts
      .map((vh) => ({
        vh,
        score: Math.max(0, ...vh.hosts.map((h) => hostScore(h, facts.host))),
      }))
      .filter(
        ({ vh, score }) =>
          score > 0 && (!vh.gatewayHosts || vh.gatewayHosts.some((h) => hostScore(h, facts.host) > 0)),
      )
      .sort((a, b) => b.score - a.score);
    for (const { vh } of candidates) {
      const route = vh.routes.find((r) => matchAny(r.matches, facts));
      if (route) return { virtualService: vh.vs, namespace: vh.namespace, route };
    }
    return undefined;
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
    const key = `${dest.serviceNamespace}/${dest.serviceName}/${dest.subset ?? ''}`;
    let fresh = this.endpointCache.get(key);
    if (!fresh) {
      fresh = this.destinationEndpoints(dest.serviceNamespace, dest.serviceName, dest.subset);
      this.endpointCache.set(key, fresh);
    }
    const eps = exclude ? fresh.filter((e) => e.key !== exclude) : fresh;
    if (!eps.length) return undefined;
    const n = this.rr.get(key) ?? 0;
    this.rr.set(key, n + 1);
    return eps[n % eps.length];
  }

  private all(kind: Kind): KubeObject[] {
    return [...(this.objects.get(kind)?.values() ?? [])];
  }

  private rebuild(): void {
    this.dirty = false;
    this.endpointCache.clear();
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
      return {
        host: `${name}.${namespace}.svc.cluster.local`,
        serviceName: name,
        serviceNamespace: namespace,
        subset: d.destination?.subset,
        weight: d.weight ?? (anyWeight ? 0 : routes.length === 1 ? 100 : 1),
        endpoints: this.destinationEndpoints(namespace, name, d.destination?.subset),
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
