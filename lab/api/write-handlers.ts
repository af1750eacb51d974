import { authorize } from '../rbac/authorize';
import { checkRoleRefUnchanged } from '../rbac/immutable-role-ref';
import { requestAttributes } from '../rbac/request-info';
import { groupVersion } from '../store/resources';
import { badRequest, invalid, notFound, StatusError } from '../store/status-error';
import type { KubeObject, ListOptions, WriteOptions } from '../store/types';
import { applyDefaults } from './defaults';
import { isRecord, methodNotAllowed, parseBody, readBody, sendJson } from './http-util';
import { decodeMicroTimes } from './micro-time';
import { applyPatch, patchTypeOf } from './patch';
import { type ApiContext, isDryRun, type ResourceRequest } from './request';
import { toServed, toStored } from './versions';

/** Checks a request body names the kind, version, namespace and name of the URL, filling in what it leaves out. */
function objectFor(r: ResourceRequest, body: unknown): KubeObject {
  const { rt, version, namespace, name } = r.route;
  if (!isRecord(body)) throw badRequest('the request body must be a JSON object');
  const want = groupVersion(rt, version);
  if (body.apiVersion !== undefined && body.apiVersion !== want)
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want})`,
    );
  if (body.kind !== undefined && body.kind !== rt.kind)
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${rt.kind})`,
    );
  if (body.metadata !== undefined && !isRecord(body.metadata)) throw badRequest('metadata must be an object');
  const meta = { ...((body.metadata as Record<string, unknown> | undefined) ?? {}) };
  if (rt.namespaced && namespace !== undefined) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    meta.namespace = namespace;
  }
  if (!rt.namespaced) delete meta.namespace;
  if (name !== undefined) {
    if (meta.name !== undefined && meta.name !== name)
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    meta.name = name;
  }
  const obj = { ...body, apiVersion: want, kind: rt.kind, metadata: meta } as KubeObject;
  decodeMicroTimes(rt, version, obj);
  return obj;
}

/**
 * A PUT (or apply patch) that creates a missing object needs `create` as well as its own verb: kube-apiserver's update
 * and patch handlers wrap the create in withAuthorization (endpoints/handlers/update.go, patch.go), asking the
 * authorizer again with verb create and answering apierrors.NewForbidden(resource, name, reason) when it says no.
 */
function authorizeCreateOnWrite(ctx: ApiContext, r: ResourceRequest): void {
  const url = new URL(r.req.url ?? '/', 'https://lab.invalid');
  const attrs = {
    ...requestAttributes(r.req.method ?? 'PUT', url.pathname, url.searchParams),
    verb: 'create',
  };
  const decision = authorize(ctx.policy, r.user, attrs);
  if (decision.allowed) return;
  const { plural, group } = r.route.rt;
  const name = r.route.name ?? '';
  const qualified = group ? `${plural}.${group}` : plural;
  throw new StatusError(403, 'Forbidden', `${qualified} "${name}" is forbidden: ${decision.reason}`, {
    name,
    ...(group ? { group } : {}),
    kind: plural,
  });
}

async function body(r: ResourceRequest): Promise<unknown> {
  return parseBody(await readBody(r.req), r.req.headers['content-type']);
}

const served = (r: ResourceRequest, o: KubeObject) => toServed(r.route.rt, r.route.version, o);
const subresource = (r: ResourceRequest): WriteOptions['subresource'] =>
  r.route.subresource === 'status' ? 'status' : undefined;

function create(ctx: ApiContext, r: ResourceRequest, obj: KubeObject): void {
  const { rt, namespace } = r.route;
  if (rt.namespaced && namespace === undefined) throw methodNotAllowed('POST');
  applyDefaults(rt, obj);
  const created = ctx.store.create(rt, toStored(rt, obj), { dryRun: isDryRun(r.query) });
  sendJson(r.res, 201, served(r, created));
}

export async function createObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  create(ctx, r, objectFor(r, await body(r)));
}

export async function updateObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { rt, namespace, name = '' } = r.route;
  const obj = objectFor(r, await body(r));
  const current = ctx.store.get(rt, namespace, name);
  if (!current) {
    if (rt.createOnUpdate) {
      authorizeCreateOnWrite(ctx, r);
      return create(ctx, r, obj);
    }
    throw notFound(rt.plural, rt.group, name);
  }
  if (rt.requireResourceVersion && !obj.metadata.resourceVersion)
    // The registry's own wording: the kind is named by its resource (genericregistry.Store.Update).
    throw invalid(`${rt.plural}${rt.group ? `.${rt.group}` : ''}`, name, [
      { field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
    ]);
  applyDefaults(rt, obj, current);
  checkRoleRefUnchanged(rt, current, obj);
  const updated = ctx.store.update(rt, toStored(rt, obj), {
    subresource: subresource(r),
    dryRun: isDryRun(r.query),
  });
  sendJson(r.res, 200, served(r, updated));
}

export async function patchObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { rt, namespace, name = '' } = r.route;
  const type = patchTypeOf(r.req.headers['content-type']);
  const patch = await body(r);
  const current = ctx.store.get(rt, namespace, name);
  if (!current) {
    if (type === 'apply' && !r.route.subresource) {
      authorizeCreateOnWrite(ctx, r);
      return create(ctx, r, objectFor(r, patch));
    }
    throw notFound(rt.plural, rt.group, name);
  }
  const patched = applyPatch(rt, served(r, current), type, patch);
  const next: KubeObject = {
    ...patched,
    metadata: { ...patched.metadata, name: current.metadata.name, namespace: current.metadata.namespace },
  };
  if (!rt.namespaced) delete next.metadata.namespace;
  decodeMicroTimes(rt, r.route.version, next);
  applyDefaults(rt, next, current);
  checkRoleRefUnchanged(rt, current, next);
  const updated = ctx.store.update(rt, toStored(rt, next), {
    subresource: subresource(r),
    dryRun: isDryRun(r.query),
  });
  sendJson(r.res, 200, served(r, updated));
}

interface DeleteOptionsBody {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  dryRun?: string[];
  preconditions?: { uid?: string; resourceVersion?: string };
}

async function deleteOptions(
  r: ResourceRequest,
): Promise<WriteOptions & { preconditions?: DeleteOptionsBody['preconditions'] }> {
  const buf = await readBody(r.req);
  const opts: DeleteOptionsBody = buf.toString('utf8').trim()
    ? ((parseBody(buf, 'application/json') ?? {}) as DeleteOptionsBody)
    : {};
  const policy =
    r.query.get('propagationPolicy') ??
    opts.propagationPolicy ??
    (opts.orphanDependents ? 'Orphan' : undefined);
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy))
    throw badRequest(`invalid propagationPolicy "${policy}"`);
  return {
    propagationPolicy: policy as WriteOptions['propagationPolicy'],
    dryRun: isDryRun(r.query) || (Array.isArray(opts.dryRun) && opts.dryRun.includes('All')),
    preconditions: opts.preconditions,
  };
}

export async function deleteObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { rt, namespace, name = '' } = r.route;
  const opts = await deleteOptions(r);
  const current = ctx.store.mustGet(rt, namespace, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid)
    throw new StatusError(
      409,
      'Conflict',
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
    throw new StatusError(
      409,
      'Conflict',
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  const deleted = ctx.store.delete(rt, namespace, name, opts);
  sendJson(r.res, 200, served(r, deleted));
}

export async function deleteCollection(
  ctx: ApiContext,
  r: ResourceRequest,
  list: ListOptions,
): Promise<void> {
  const { rt, version } = r.route;
  const opts = await deleteOptions(r);
  const deleted: KubeObject[] = [];
  for (const o of ctx.store.list(rt, list).items) {
    if (ctx.store.get(rt, o.metadata.namespace, o.metadata.name ?? ''))
      deleted.push(ctx.store.delete(rt, o.metadata.namespace, o.metadata.name ?? '', opts));
  }
  sendJson(r.res, 200, {
    kind: `${rt.kind}List`,
    apiVersion: groupVersion(rt, version),
    metadata: { resourceVersion: ctx.store.currentResourceVersion() },
    items: deleted.map((o) => served(r, o)),
  });
}
