import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EffectiveFaults, pickDelayMs, shouldFail } from './faults-config.js';
import type { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { renderPage } from './page.js';
import { isFaultable, matchRoute } from './routes.js';
import { doWork } from './work.js';

export type HandlerDeps = {
  version: string;
  hostname: string;
  metrics: Metrics;
  lifecycle: Lifecycle;
  faults: () => EffectiveFaults;
  log: Logger;
  random?: () => number;
};

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { version, hostname, metrics, lifecycle, log } = deps;
  const random = deps.random ?? Math.random;

  return (req, res) => {
    const started = process.hrtime.bigint();
    const route = matchRoute(req.url);

    /** Records metrics just before answering, so a later scrape always sees this request. */
    const send = (code: number, contentType: string, body: string, headers: OutgoingHttpHeaders = {}) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe({ version, route, code }, seconds);
      if (lifecycle.isShuttingDown()) res.shouldKeepAlive = false;
      res.writeHead(code, {
        'content-type': contentType,
        'cache-control': 'no-store',
        'x-version': version,
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const sendJson = (code: number, value: unknown, headers?: OutgoingHttpHeaders) =>
      send(code, JSON_TYPE, `${JSON.stringify(value)}\n`, headers);

    const handle = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendJson(405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      }
      if (route === 'other') return sendJson(404, { error: 'not found' });

      if (isFaultable(route)) {
        const faults = deps.faults();
        const delay = pickDelayMs(faults, random);
        if (delay > 0) await sleep(delay);
        if (shouldFail(faults, random)) return sendJson(500, { error: 'injected fault', version, hostname });
      }

      switch (route) {
        case '/':
          return send(200, HTML_TYPE, renderPage({ version, hostname, flags: deps.faults().flags }));
        case '/api/work':
          return sendJson(200, { version, hostname, ...doWork() });
        case '/api/flags':
          return sendJson(200, { version, flags: deps.faults().flags });
        case '/healthz':
          return send(200, TEXT_TYPE, 'ok\n');
        case '/readyz':
          return lifecycle.isReady()
            ? send(200, TEXT_TYPE, 'ready\n')
            : send(503, TEXT_TYPE, lifecycle.isShuttingDown() ? 'shutting down\n' : 'warming up\n');
        case '/metrics':
          return send(200, metrics.registry.contentType, await metrics.registry.metrics());
      }
    };

    handle().catch((error: unknown) => {
      log('error', 'request_failed', { route, reason: (error as Error).message });
      if (!res.headersSent) sendJson(500, { error: 'internal error' });
      else res.destroy();
    });
  };
}
