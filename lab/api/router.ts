import { RESOURCES } from '../store/resources';
import type { ResourceType } from '../store/types';

/** A request for a kind: its collection, one object, or one of its subresources. */
export interface ResourceRoute {
  type: 'resource';
  rt: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: 'status' | 'log' | 'token';
  /** Legacy `/api/v1/watch/...` form. */
  watchPath: boolean;
}

export type Route =
  | { type: 'version' | 'health' | 'openapi-v2' | 'openapi-v3-root' | 'api-versions' | 'api-groups' }
  | { type: 'openapi-v3'; group: string; version: string }
  | { type: 'api-group'; group: string }
  | { type: 'api-resources'; group: string; version: string }
  | ResourceRoute
  | { type: 'not-found' };

const HEALTH = new Set(['/healthz', '/readyz', '/livez']);

function groupServed(group: string, version?: string): boolean {
  return RESOURCES.some((r) => r.group === group && (version === undefined || r.versions.includes(version)));
}

/** Maps a request path onto what the lab serves. */
export function route(pathname: string): Route {
  const clean = pathname.replace(/\/+$/, '') || '/';
  if (clean === '/version') return { type: 'version' };
  if (HEALTH.has(clean) || /^\/(healthz|readyz|livez)\//.test(clean)) return { type: 'health' };
  if (clean === '/openapi/v2') return { type: 'openapi-v2' };
  if (clean === '/openapi/v3') return { type: 'openapi-v3-root' };
  const parts = clean.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'openapi' && parts[1] === 'v3') {
    if (parts[2] === 'api' && parts[3] === 'v1' && parts.length === 4)
      return { type: 'openapi-v3', group: '', version: 'v1' };
    if (parts[2] === 'apis' && parts.length === 5 && groupServed(parts[3] ?? '', parts[4]))
      return { type: 'openapi-v3', group: parts[3] ?? '', version: parts[4] ?? '' };
    return { type: 'not-found' };
  }
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api-versions' };
    if (parts[1] !== 'v1') return { type: 'not-found' };
    return resourcePath('', 'v1', parts.slice(2));
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'api-groups' };
    const group = parts[1] ?? '';
    if (!groupServed(group)) return { type: 'not-found' };
    if (parts.length === 2) return { type: 'api-group', group };
    const version = parts[2] ?? '';
    if (!groupServed(group, version)) return { type: 'not-found' };
    return resourcePath(group, version, parts.slice(3));
  }
  return { type: 'not-found' };
}

function find(group: string, version: string, plural: string | undefined): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.plural === plural && r.versions.includes(version));
}

function resourcePath(group: string, version: string, rest: string[]): Route {
  if (rest.length === 0) return { type: 'api-resources', group, version };
  let segs = rest;
  const watchPath = segs[0] === 'watch';
  if (watchPath) segs = segs.slice(1);
  let namespace: string | undefined;
  // `namespaces/<ns>/<plural>...` names a namespaced kind; `namespaces/<ns>[/status]` is the Namespace itself.
  if (segs[0] === 'namespaces' && segs.length >= 3 && find(group, version, segs[2])?.namespaced) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  const rt = find(group, version, segs[0]);
  if (!rt || segs.length > 3) return { type: 'not-found' };
  if (namespace !== undefined && !rt.namespaced) return { type: 'not-found' };
  const sub = segs[2];
  if (sub !== undefined && !(rt.subresources as string[]).includes(sub)) return { type: 'not-found' };
  return {
    type: 'resource',
    rt,
    version,
    namespace,
    name: segs[1],
    subresource: sub as ResourceRoute['subresource'],
    watchPath,
  };
}
