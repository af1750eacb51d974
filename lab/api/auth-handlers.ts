import { authorize, rulesFor } from '../rbac/authorize';
import { ISSUER } from '../rbac/tokens';
import type { Attributes } from '../rbac/types';
import { resource } from '../store/resources';
import { invalid } from '../store/status-error';
import { isRecord, methodNotAllowed, parseBody, readBody, sendJson } from './http-util';
import type { ApiContext, ResourceRequest } from './request';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const spec = (body: unknown): Record<string, unknown> =>
  isRecord(body) && isRecord(body.spec) ? body.spec : {};

async function readObject(r: ResourceRequest): Promise<unknown> {
  return parseBody(await readBody(r.req), r.req.headers['content-type']);
}

/** Bounds of TokenRequest.spec.expirationSeconds (authentication validation): 10 minutes to 2^32 seconds. */
const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 2 ** 32;
const DEFAULT_EXPIRATION = 3600;

/**
 * `POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token` (TokenRequest, authentication.k8s.io/v1): a signed token
 * for the ServiceAccount, valid `spec.expirationSeconds` (default 1 h) for `spec.audiences` (default the API server).
 * `boundObjectRef` is not supported: such a request is refused rather than given an unbound token.
 */
export async function createToken(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  if ((r.req.method ?? 'GET') !== 'POST') throw methodNotAllowed(r.req.method ?? 'GET');
  const { namespace = '', name = '' } = r.route;
  const s = spec(await readObject(r));
  const sa = ctx.store.mustGet(resource('serviceaccounts'), namespace, name);
  const causes: Array<{ field: string; message: string }> = [];
  const exp = s.expirationSeconds ?? DEFAULT_EXPIRATION;
  if (typeof exp !== 'number' || !Number.isInteger(exp))
    causes.push({
      field: 'spec.expirationSeconds',
      message: `Invalid value: ${JSON.stringify(exp)}: must be an integer`,
    });
  else if (exp < MIN_EXPIRATION)
    causes.push({
      field: 'spec.expirationSeconds',
      message: `Invalid value: ${exp}: may not specify a duration less than 10 minutes`,
    });
  else if (exp > MAX_EXPIRATION)
    causes.push({
      field: 'spec.expirationSeconds',
      message: `Invalid value: ${exp}: may not specify a duration larger than 2^32 seconds`,
    });
  const audiences = Array.isArray(s.audiences) && s.audiences.length ? s.audiences.map(String) : [ISSUER];
  if (s.boundObjectRef !== undefined && s.boundObjectRef !== null)
    causes.push({
      field: 'spec.boundObjectRef',
      message: 'Unsupported value: the lab issues unbound tokens only',
    });
  if (causes.length) throw invalid('TokenRequest', name, causes);
  const now = new Date();
  const { token, expiresAt } = ctx.signer.issue({
    namespace,
    name,
    uid: sa.metadata.uid ?? '',
    audiences,
    expirationSeconds: exp as number,
    now,
  });
  sendJson(r.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: `${now.toISOString().slice(0, 19)}Z` },
    spec: { audiences, expirationSeconds: exp, boundObjectRef: null },
    status: { token, expirationTimestamp: `${expiresAt.toISOString().slice(0, 19)}Z` },
  });
}

function reviewAttributes(s: Record<string, unknown>, name: string): Attributes {
  const ra = s.resourceAttributes;
  const nra = s.nonResourceAttributes;
  if (isRecord(ra) === isRecord(nra))
    throw invalid(name, '', [
      {
        field: 'spec.resourceAttributes',
        message: `Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
      },
    ]);
  if (isRecord(nra)) return { resourceRequest: false, verb: str(nra.verb), path: str(nra.path) };
  const a = ra as Record<string, unknown>;
  return {
    resourceRequest: true,
    verb: str(a.verb),
    apiGroup: str(a.group),
    apiVersion: str(a.version),
    resource: str(a.resource),
    subresource: str(a.subresource),
    namespace: str(a.namespace),
    name: str(a.name),
  };
}

/** SelfSubjectAccessReview, SelfSubjectRulesReview and SelfSubjectReview: answered for the caller, never stored. */
export async function createReview(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const method = r.req.method ?? 'GET';
  if (method !== 'POST' || r.route.name !== undefined) throw methodNotAllowed(method);
  const { kind } = r.route.rt;
  const body = await readObject(r);
  const s = spec(body);
  const apiVersion = `${r.route.rt.group}/v1`;
  const head = { kind, apiVersion, metadata: { creationTimestamp: null } };
  const user = r.user;
  if (kind === 'SelfSubjectReview') {
    sendJson(r.res, 201, {
      ...head,
      status: {
        userInfo: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups },
      },
    });
    return;
  }
  if (kind === 'SelfSubjectAccessReview') {
    const d = authorize(ctx.policy, user, reviewAttributes(s, kind));
    sendJson(r.res, 201, {
      ...head,
      spec: s,
      status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) },
    });
    return;
  }
  const namespace = str(s.namespace);
  const found = rulesFor(ctx.policy, user, namespace);
  sendJson(r.res, 201, {
    ...head,
    spec: { namespace },
    status: {
      resourceRules: found.rules
        .filter((x) => (x.resources ?? []).length > 0)
        .map((x) => ({
          verbs: x.verbs,
          apiGroups: x.apiGroups ?? [],
          resources: x.resources ?? [],
          ...(x.resourceNames?.length ? { resourceNames: x.resourceNames } : {}),
        })),
      nonResourceRules: found.rules
        .filter((x) => (x.nonResourceURLs ?? []).length > 0)
        .map((x) => ({ verbs: x.verbs, nonResourceURLs: x.nonResourceURLs ?? [] })),
      incomplete: found.incomplete,
      ...(found.evaluationError ? { evaluationError: found.evaluationError } : {}),
    },
  });
}
