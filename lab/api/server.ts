import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { authorize, SYSTEM_MASTERS } from '../rbac/authorize';
import { ensureBootstrapPolicy } from '../rbac/bootstrap';
import { forbidden } from '../rbac/forbidden';
import { requestAttributes } from '../rbac/request-info';
import { storePolicy } from '../rbac/store-policy';
import { TokenSigner } from '../rbac/tokens';
import type { UserInfo } from '../rbac/types';
import type { LabStore } from '../store/lab-store';
import { StatusError } from '../store/status-error';
import { tokenAuthenticator, unauthorized } from './authn';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery';
import { handleResource } from './handlers';
import { methodNotAllowed, pathNotFound, sendError, sendJson, sendText } from './http-util';
import { openapiDoc, openapiRoot } from './openapi';
import { fileLogReader, type GetPodLogs } from './pod-logs';
import type { ApiContext } from './request';
import { route } from './router';
import { loadValidators } from './validate-object';

export interface ApiServerOptions {
  store: LabStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * The admin's static token (system:masters). Every request but health and /version must carry
   * `Authorization: Bearer <token>`: this one, or a ServiceAccount token from the TokenRequest API, which RBAC limits.
   */
  token: string;
  /** Also signs ServiceAccount tokens (ES256). */
  tlsKey: string;
  tlsCert: string;
  /** Where the default pod-log reader looks: `<logDir>/<ns>/<pod>/<container>.log` (default `.lab/logs`). */
  logDir?: string;
  /** Replaces the default pod-log reader (see `GetPodLogs` for the contract). */
  getPodLogs?: GetPodLogs;
  /** How often watches that allow bookmarks get one (default 10 s). */
  bookmarkIntervalMs?: number;
  /** The lab's own description, served without a token at `GET /lab/v1/info` (which metrics, which URLs). */
  labInfo?: () => unknown;
  /**
   * Fault hooks for the chaos bench, given only when the lab runs with `LAB_CHAOS=1` (else their paths are 404s). The
   * admin alone may call them. `gatewayCrash`: the gateway's thread dies (it shares the lab's PID, so nothing outside
   * can kill it alone); resolves once the thread has ended, false when no gateway thread runs at the moment (it is
   * restarting).
   */
  chaos?: { gatewayCrash(): Promise<boolean> };
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const CHAOS_GATEWAY_CRASH = '/lab/v1/chaos/gateway-crash';

/** Who asks without a token: only `/version` (and health) is open to them, as public-info-viewer allows. */
const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The lab's Kubernetes API server (https): discovery, OpenAPI, CRUD, patch, watch, Table and pod logs. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  await loadValidators();
  const host = opts.host ?? '127.0.0.1';
  ensureBootstrapPolicy(opts.store);
  const signer = new TokenSigner(opts.tlsKey);
  const policy = storePolicy(opts.store);
  const authn = tokenAuthenticator(opts.token, signer, opts.store);
  const ctx: ApiContext = {
    store: opts.store,
    policy,
    signer,
    getPodLogs: opts.getPodLogs ?? fileLogReader(opts.logDir ?? path.resolve('.lab', 'logs')),
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 10_000,
    streams: new Set(),
  };
  let address = `${host}:${opts.port}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://lab.invalid');
    const r = route(url.pathname);
    if (r.type === 'health') return sendText(res, 200, 'ok');
    if (url.pathname === '/lab/v1/info' && opts.labInfo && req.method === 'GET')
      return sendJson(res, 200, opts.labInfo());
    const method = req.method ?? 'GET';
    // without LAB_CHAOS the hooks do not exist, for anyone
    if (url.pathname.startsWith('/lab/v1/chaos/') && !opts.chaos) throw pathNotFound();
    if (url.pathname === CHAOS_GATEWAY_CRASH && opts.chaos) {
      const user = authn.authenticate(req);
      if (!user) throw unauthorized();
      if (!user.groups.includes(SYSTEM_MASTERS))
        throw new StatusError(
          403,
          'Forbidden',
          `${user.name} may not use the lab's chaos hooks (admin only)`,
        );
      if (method !== 'POST') throw methodNotAllowed(method);
      const crashed = await opts.chaos.gatewayCrash();
      return sendJson(res, crashed ? 202 : 409, {
        crashed,
        message: crashed
          ? "the gateway's thread has died; the lab starts it again after its back-off"
          : 'no gateway thread runs at the moment (it is restarting)',
      });
    }
    // Authentication, then authorization (RBAC) on the request's attributes, before anything is looked up.
    const user = authn.authenticate(req) ?? ANONYMOUS;
    if (user === ANONYMOUS && r.type !== 'version') throw unauthorized();
    const attrs = requestAttributes(method, url.pathname, url.searchParams);
    const decision = authorize(policy, user, attrs);
    if (!decision.allowed) throw forbidden(user, attrs, decision.reason);
    if (r.type !== 'resource' && method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
    switch (r.type) {
      case 'version':
        return sendJson(res, 200, versionInfo());
      case 'api-versions':
        return sendJson(res, 200, apiVersions(address));
      case 'api-groups':
        return sendJson(res, 200, apiGroupList());
      case 'api-group': {
        const g = apiGroup(r.group);
        if (!g) throw pathNotFound();
        return sendJson(res, 200, g);
      }
      case 'api-resources':
        return sendJson(res, 200, apiResourceList(r.group, r.version));
      case 'openapi-v3-root':
        return sendJson(res, 200, openapiRoot());
      case 'openapi-v3':
        return sendJson(res, 200, openapiDoc(r.group, r.version));
      case 'resource':
        return handleResource(ctx, { route: r, query: url.searchParams, req, res, user });
      default:
        throw pathNotFound();
    }
  };

  const server = createServer({ key: opts.tlsKey, cert: opts.tlsCert }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!(err instanceof StatusError)) console.error('lab api:', err);
      sendError(res, err);
      // Drain an unread body so the connection stays usable.
      req.resume();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${hostInUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of ctx.streams) s.end();
        ctx.streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
