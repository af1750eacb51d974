import { groupVersion } from '../store/resources';
import type { KubeObject } from '../store/types';
import { createReview, createToken } from './auth-handlers';
import { methodNotAllowed, pathNotFound, sendJson } from './http-util';
import { servePodLog } from './log-handler';
import { type ApiContext, isWatch, type ResourceRequest } from './request';
import { includeObjectParam, toTable, wantsTable } from './table';
import { toServed } from './versions';
import { serveWatch } from './watch';
import { createObject, deleteCollection, deleteObject, patchObject, updateObject } from './write-handlers';

function listOptions(r: ResourceRequest) {
  return {
    namespace: r.route.namespace,
    labelSelector: r.query.get('labelSelector') ?? undefined,
    fieldSelector: r.query.get('fieldSelector') ?? undefined,
  };
}

/** Answers with the object(s) at the requested version, as a Table when kubectl asks for one. */
export function sendObjects(
  r: ResourceRequest,
  code: number,
  items: KubeObject[],
  rv: string,
  single: boolean,
): void {
  const { rt, version } = r.route;
  const served = items.map((o) => toServed(rt, version, o));
  if (wantsTable(r.req.headers.accept)) {
    const table = toTable(rt.kind, served, rv, includeObjectParam(r.query.get('includeObject')));
    sendJson(r.res, code, table, 'application/json;as=Table;v=v1;g=meta.k8s.io');
    return;
  }
  if (single && served[0]) {
    sendJson(r.res, code, served[0]);
    return;
  }
  sendJson(r.res, code, {
    kind: `${rt.kind}List`,
    apiVersion: groupVersion(rt, version),
    metadata: { resourceVersion: rv },
    items: served,
  });
}

/** Dispatches a request on a kind's collection, one object, or a subresource. */
export async function handleResource(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { route, req } = r;
  const method = req.method ?? 'GET';
  if (route.rt.namespaced && route.namespace === undefined && route.name !== undefined) throw pathNotFound();
  if (route.rt.createOnly) return createReview(ctx, r);
  if (route.subresource === 'token') return createToken(ctx, r);
  if (route.subresource === 'log') {
    if (method !== 'GET') throw methodNotAllowed(method);
    return servePodLog(ctx, r);
  }
  if (route.name === undefined || route.watchPath) {
    if (method === 'GET' && (isWatch(r.query) || route.watchPath)) return serveWatch(ctx, r);
    if (route.name !== undefined) throw methodNotAllowed(method);
    if (method === 'GET') {
      const { items, resourceVersion } = ctx.store.list(route.rt, listOptions(r));
      return sendObjects(r, 200, items, resourceVersion, false);
    }
    if (method === 'POST') return createObject(ctx, r);
    if (method === 'DELETE') return deleteCollection(ctx, r, listOptions(r));
    throw methodNotAllowed(method);
  }
  switch (method) {
    case 'GET': {
      const obj = ctx.store.mustGet(route.rt, route.namespace, route.name);
      return sendObjects(r, 200, [obj], obj.metadata.resourceVersion ?? '', true);
    }
    case 'PUT':
      return updateObject(ctx, r);
    case 'PATCH':
      return patchObject(ctx, r);
    case 'DELETE':
      if (route.subresource) throw methodNotAllowed(method);
      return deleteObject(ctx, r);
    default:
      throw methodNotAllowed(method);
  }
}
