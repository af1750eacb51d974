import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENVOY_DEFAULT_BUCKETS } from './envoy-histogram';
import type { ProxyConfig } from './ingress-gateway';
import { IstioMetrics, type RequestLabels } from './istio-metrics';
import { forward, readBody } from './proxy';
import type { Destination, Endpoint, RoutingTable } from './routing-table';
import { WindowStats } from './window-stats';

/** Paths the gateway answers itself on every port (before routing; the webapp has no such paths). */
export const METRICS_PATH = '/stats/prometheus';
export const WINDOW_PATH = '/lab/v1/window';

export interface GatewayServerOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** A second listener serving only the metrics/window endpoints (like Istio's 15020/15090). */
  metricsPort?: number;
  /** Address of the pods. */
  upstreamHost: string;
  /** What the proxy starts with (ingress-gateway.ts): its duration buckets, or null = no gateway pod can run. */
  proxy: ProxyConfig;
}

export interface GatewayServer {
  port: number;
  metricsPort?: number;
  metricsText(): string;
  /** A restart of the proxy with new buckets (its istio_* metrics start from zero), or down (null). */
  setProxy(config: ProxyConfig): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The gateway's HTTP side: routes by `table` with weighted destinations, round-robin over Ready pods, fault injection,
 * one retry on a pod that went away, and Istio metrics. Runs on the gateway's own thread (see start-gateway.ts).
 */
export async function serveGateway(table: RoutingTable, opts: GatewayServerOptions): Promise<GatewayServer> {
  let up = opts.proxy !== null;
  let metrics = new IstioMetrics(opts.proxy?.buckets ?? ENVOY_DEFAULT_BUCKETS);
  const windows = new WindowStats(metrics.buckets);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 4000 });
  // idle upstream sockets close after 4 s: before the webapp's 5 s keep-alive timeout closes them under us

  const admin = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean => {
    if (url.pathname === METRICS_PATH || url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render());
      return true;
    }
    if (url.pathname === WINDOW_PATH) {
      const service = url.searchParams.get('service');
      if (!service) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'query parameter service is required' }));
        return true;
      }
      const num = (v: string | null) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
      const answer = windows.query(
        url.searchParams.get('namespace'),
        service,
        num(url.searchParams.get('since')),
        Date.now(),
        num(url.searchParams.get('until')),
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
      return true;
    }
    if (url.pathname === '/healthz/ready' && req.method === 'GET') {
      res.writeHead(200).end();
      return true;
    }
    return false;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const t0 = performance.now();
    const proxyMetrics = metrics; // a request belongs to the proxy that took it (a restart drops it with the old one)
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (admin(req, res, url)) return;
    const reqHost = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    let dest: Destination | undefined;
    let ep: Endpoint | undefined;
    let flags = '-';
    res.once('close', () => {
      const code = res.writableFinished ? res.statusCode : 0;
      const ms = performance.now() - t0;
      proxyMetrics.observe(labelsFor(dest, ep, code, code === 0 && flags === '-' ? 'DC' : flags), ms);
      if (dest) windows.record(dest.serviceNamespace, dest.serviceName, code, ms);
    });
    const reply = (status: number, body: string, f: string) => {
      flags = f;
      res.writeHead(status, { 'content-type': 'text/plain', server: 'istio-envoy' });
      res.end(body);
    };
    const match = table.route({
      host: reqHost,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });
    if (!match) return reply(404, '', 'NR');
    const { route } = match;
    dest = table.pickDestination(route);
    if (!dest) return reply(404, '', 'NR');
    const fault = route.fault;
    if (fault?.delay && fault.delay.ms > 0 && Math.random() * 100 < fault.delay.percent) {
      flags = 'DI';
      await sleep(fault.delay.ms);
    }
    if (fault?.abort && Math.random() * 100 < fault.abort.percent)
      return reply(fault.abort.httpStatus, 'fault filter abort', 'FI');
    const body = await readBody(req);
    const path = rewritePath(req.url ?? '/', url.pathname, route.rewriteUri, route.matches);
    ep = table.pickEndpoint(dest);
    if (!ep) return reply(503, 'no healthy upstream', 'UH');
    const attempt = (endpoint: Endpoint, n: number) =>
      forward({
        agent,
        endpoint,
        host: opts.upstreamHost,
        req,
        res,
        path,
        body,
        attempt: n,
        timeoutMs: route.timeoutMs,
      });
    let result = await attempt(ep, 1);
    if (result.kind === 'failed' && result.retryable) {
      // another pod if there is one, else the same pod on a fresh connection (a stale keep-alive socket)
      const retry = table.pickEndpoint(dest, ep.key) ?? table.pickEndpoint(dest);
      if (retry) {
        ep = retry;
        result = await attempt(ep, 2);
      }
    }
    if (result.kind === 'timeout') return reply(504, 'upstream request timeout', 'UT');
    if (result.kind === 'failed' && !res.headersSent)
      reply(
        503,
        'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
        'UF',
      );
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  // No gateway pod running: connections are refused (closed at once), on the proxy port and the metrics port alike.
  const refuseWhenDown = (s: http.Server) =>
    s.on('connection', (socket) => {
      if (!up) socket.destroy();
    });
  refuseWhenDown(server);
  await listen(server, opts.host, opts.port);

  let metricsServer: http.Server | undefined;
  if (opts.metricsPort !== undefined) {
    metricsServer = http.createServer((req, res) => {
      if (!admin(req, res, new URL(req.url ?? '/', 'http://gateway'))) res.writeHead(404).end();
    });
    refuseWhenDown(metricsServer);
    await listen(metricsServer, opts.host, opts.metricsPort).catch(async (err: Error) => {
      await closeServer(server);
      throw err;
    });
  }

  return {
    port: (server.address() as AddressInfo).port,
    metricsPort: metricsServer ? (metricsServer.address() as AddressInfo).port : undefined,
    metricsText: () => (up ? metrics.render() : ''),
    setProxy(config) {
      if (config) {
        metrics = new IstioMetrics(config.buckets);
        windows.setBuckets(config.buckets);
        up = true;
      } else {
        up = false;
        for (const s of [server, metricsServer]) s?.closeAllConnections();
      }
    },
    async close() {
      await Promise.all([server, metricsServer].map((s) => s && closeServer(s)));
      agent.destroy();
    },
  };
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(s: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}

function labelsFor(
  dest: Destination | undefined,
  ep: Endpoint | undefined,
  code: number,
  flags: string,
): RequestLabels {
  return {
    destination_service_name: dest?.serviceName ?? 'unknown',
    destination_service_namespace: dest?.serviceNamespace ?? 'unknown',
    destination_workload: ep?.workload ?? 'unknown',
    destination_workload_namespace: ep?.namespace ?? 'unknown',
    destination_version: ep?.version ?? 'unknown',
    destination_canonical_service: ep?.canonicalService ?? dest?.serviceName ?? 'unknown',
    destination_app: ep?.app ?? 'unknown',
    response_code: String(code),
    response_flags: flags,
  };
}

/** Istio `rewrite.uri`: replaces the matched prefix (prefix match) or the whole path. */
function rewritePath(
  raw: string,
  pathname: string,
  rewrite: string | undefined,
  matches: Array<{ uri?: { prefix?: string } }> | undefined,
): string {
  if (!rewrite) return raw;
  const query = raw.includes('?') ? raw.slice(raw.indexOf('?')) : '';
  const prefix = matches?.map((m) => m.uri?.prefix).find((p) => p !== undefined && pathname.startsWith(p));
  return `${prefix !== undefined ? rewrite + pathname.slice(prefix.length) : rewrite}${query}`;
}
