import type { Attributes } from './types';

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
/** How query parameters become a bool (Convert_Slice_string_To_bool): anything but `0` or `false` is true. */
export const queryBool = (v: string | null): boolean =>
  v !== null && v !== '0' && v.toLowerCase() !== 'false';

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The `metadata.name` a field selector pins with an exact match (`metadata.name=x` or `==x`), if any; an invalid
 * selector pins nothing.
 */
function exactName(fieldSelector: string | null): string {
  if (!fieldSelector) return '';
  let name = '';
  for (const term of fieldSelector.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*([^=!]*?)\s*$/.exec(term);
    if (!m) return '';
    if (m[1] === 'metadata.name' && m[2] !== '!=') name = m[3] ?? '';
  }
  return /^[^/%]+$/.test(name) && name !== '.' && name !== '..' ? name : '';
}

/**
 * The authorization attributes of a request, as the API server's RequestInfoFactory derives them from method, path
 * and query: `/api/v1/...` and `/apis/<group>/<version>/...` are resource requests (verb from the method; GET without
 * a name is list, or watch with `watch` set (to anything but 0/false); DELETE without a name is deletecollection; a `watch/` path segment is
 * watch); `namespaces/<ns>/<resource>` sets the namespace (and `namespaces/<ns>` itself is in namespace <ns>); a
 * `metadata.name=` field selector names the object of a list or watch. Everything else is a non-resource request whose
 * verb is the lower-cased method.
 */
export function requestAttributes(method: string, pathname: string, query: URLSearchParams): Attributes {
  const nonResource: Attributes = { resourceRequest: false, verb: method.toLowerCase(), path: pathname };
  const trimmed = pathname.replace(/^\/+|\/+$/g, '');
  let parts = trimmed === '' ? [] : trimmed.split('/').map(decodeSegment);
  const prefix = parts[0];
  if (parts.length < 3 || (prefix !== 'api' && prefix !== 'apis')) return nonResource;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0] ?? '';
    parts = parts.slice(1);
  }
  const apiVersion = parts[0] ?? '';
  parts = parts.slice(1);
  let verb: string;
  if (parts[0] === 'watch' || parts[0] === 'proxy') {
    verb = parts[0];
    parts = parts.slice(1);
  } else verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] ?? '';
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
  }
  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = parts.length >= 3 && verb !== 'proxy' ? (parts[2] ?? '') : '';
  if (!name && verb === 'get') {
    verb = queryBool(query.get('watch')) ? 'watch' : 'list';
    name = exactName(query.get('fieldSelector'));
  }
  if (!name && verb === 'delete') verb = 'deletecollection';
  // A patch of a Namespace is not "in" that namespace (server-side apply may be creating it).
  if (resource === 'namespaces' && verb === 'patch' && name && !subresource) namespace = '';
  return { resourceRequest: true, verb, apiGroup, apiVersion, resource, subresource, namespace, name };
}
