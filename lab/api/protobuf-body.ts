/**
 * Kubernetes' protobuf request bodies, for the kinds `kubectl create <generator>` sends that way. kubectl's typed
 * clients encode built-in kinds as `application/vnd.kubernetes.protobuf` up front (no discovery is consulted, and a 415
 * is not retried as JSON), so `kubectl create namespace|configmap|secret` needs the server to read them.
 *
 * Wire format: the 4 bytes `k8s\0`, then a runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2, ...} whose `raw`
 * is the object's message (field numbers from k8s.io/api/core/v1/generated.proto). Only the fields a create can
 * carry are read; empty strings and empty messages are dropped, as JSON's omitempty would.
 */
import { badRequest, StatusError } from '../store/status-error';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'binary');

type Field = { n: number; varint?: number; bytes?: Buffer };

/** The fields of one message, in order (varint and length-delimited wire types; others are refused). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (i >= buf.length) throw badRequest('protobuf body: truncated varint');
      const b = buf[i++] ?? 0;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const n = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push({ n, varint: varint() });
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw badRequest('protobuf body: truncated field');
      out.push({ n, bytes: buf.subarray(i, i + len) });
      i += len;
    } else throw badRequest(`protobuf body: unsupported wire type ${wire}`);
  }
  return out;
}

const EMPTY = Buffer.alloc(0);
type Read = (f: Field) => unknown;
/** JSON name, reader, and whether the field repeats (`list`) or is a map entry (key=1, value=2). */
type Spec = Record<number, [name: string, read: Read, shape?: 'list' | 'map']>;

/** A string that JSON would omit when empty (a scalar field). */
const text: Read = (f) => (f.bytes?.length ? f.bytes.toString('utf8') : undefined);
/** A string kept even when empty (a list item or a map value). */
const value: Read = (f) => f.bytes?.toString('utf8') ?? '';
const base64: Read = (f) => (f.bytes ?? EMPTY).toString('base64');
const flag: Read = (f) => (f.varint ? true : undefined);
/** A bool that is kept when false (an optional pointer field, set). */
const bool: Read = (f) => Boolean(f.varint);
const int: Read = (f) => f.varint ?? 0;

/** A message decoder: the fields named in `spec` to their JSON form; empty messages are omitted. */
function message(spec: Spec): Read {
  return (f) => {
    const o: Record<string, unknown> = {};
    for (const field of fields(f.bytes ?? EMPTY)) {
      const [name, read, shape] = spec[field.n] ?? [];
      if (!name || !read) continue;
      if (shape === 'list') o[name] = [...((o[name] as unknown[] | undefined) ?? []), read(field)];
      else if (shape === 'map') {
        const entry = fields(field.bytes ?? EMPTY);
        const key = String(value(entry.find((e) => e.n === 1) ?? { n: 1 }));
        o[name] = {
          ...(o[name] as object | undefined),
          [key]: read(entry.find((e) => e.n === 2) ?? { n: 2 }),
        };
      } else {
        const v = read(field);
        if (v !== undefined) o[name] = v;
      }
    }
    return Object.keys(o).length ? o : undefined;
  };
}

const objectMeta = message({
  1: ['name', text],
  2: ['generateName', text],
  3: ['namespace', text],
  5: ['uid', text],
  6: ['resourceVersion', text],
  11: ['labels', value, 'map'],
  12: ['annotations', value, 'map'],
  13: [
    'ownerReferences',
    message({
      1: ['kind', text],
      3: ['name', text],
      4: ['uid', text],
      5: ['apiVersion', text],
      6: ['controller', flag],
      7: ['blockOwnerDeletion', flag],
    }),
    'list',
  ],
  14: ['finalizers', value, 'list'],
});

const policyRule = message({
  1: ['verbs', value, 'list'],
  2: ['apiGroups', value, 'list'],
  3: ['resources', value, 'list'],
  4: ['resourceNames', value, 'list'],
  5: ['nonResourceURLs', value, 'list'],
});
const binding = message({
  1: ['metadata', objectMeta],
  2: [
    'subjects',
    message({ 1: ['kind', text], 2: ['apiGroup', text], 3: ['name', text], 4: ['namespace', text] }),
    'list',
  ],
  3: ['roleRef', message({ 1: ['apiGroup', text], 2: ['kind', text], 3: ['name', text] })],
});
const role = message({ 1: ['metadata', objectMeta], 2: ['rules', policyRule, 'list'] });

/**
 * The kinds read from protobuf, by apiVersion and kind: what kubectl's generators and typed clients create (core/v1
 * objects, RBAC objects, TokenRequest, the self reviews of `kubectl auth`). Field numbers from k8s.io/api's
 * generated.proto files.
 */
const KINDS: Record<string, Read> = {
  'v1 Namespace': message({
    1: ['metadata', objectMeta],
    2: ['spec', message({ 1: ['finalizers', value, 'list'] })],
  }),
  'v1 ConfigMap': message({
    1: ['metadata', objectMeta],
    2: ['data', value, 'map'],
    3: ['binaryData', base64, 'map'],
    4: ['immutable', flag],
  }),
  'v1 Secret': message({
    1: ['metadata', objectMeta],
    2: ['data', base64, 'map'],
    3: ['type', text],
    4: ['stringData', value, 'map'],
    5: ['immutable', flag],
  }),
  'v1 ServiceAccount': message({
    1: ['metadata', objectMeta],
    3: ['imagePullSecrets', message({ 1: ['name', text] }), 'list'],
    4: ['automountServiceAccountToken', bool],
  }),
  'rbac.authorization.k8s.io/v1 Role': role,
  'rbac.authorization.k8s.io/v1 ClusterRole': role,
  'rbac.authorization.k8s.io/v1 RoleBinding': binding,
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': binding,
  'authentication.k8s.io/v1 TokenRequest': message({
    1: ['metadata', objectMeta],
    2: [
      'spec',
      message({
        1: ['audiences', value, 'list'],
        3: [
          'boundObjectRef',
          message({ 1: ['kind', text], 2: ['apiVersion', text], 3: ['name', text], 4: ['uid', text] }),
        ],
        4: ['expirationSeconds', int],
      }),
    ],
  }),
  'authentication.k8s.io/v1 SelfSubjectReview': message({ 1: ['metadata', objectMeta] }),
  'authorization.k8s.io/v1 SelfSubjectAccessReview': message({
    1: ['metadata', objectMeta],
    2: [
      'spec',
      message({
        1: [
          'resourceAttributes',
          message({
            1: ['namespace', text],
            2: ['verb', text],
            3: ['group', text],
            4: ['version', text],
            5: ['resource', text],
            6: ['subresource', text],
            7: ['name', text],
          }),
        ],
        2: ['nonResourceAttributes', message({ 1: ['path', text], 2: ['verb', text] })],
      }),
    ],
  }),
  'authorization.k8s.io/v1 SelfSubjectRulesReview': message({
    1: ['metadata', objectMeta],
    2: ['spec', message({ 1: ['namespace', text] })],
  }),
};

const unreadable = (what: string) =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${PROTOBUF} for ${what}; the lab reads protobuf only for ${Object.keys(KINDS).join(', ')})`,
  );

/** Decodes an `application/vnd.kubernetes.protobuf` body to the object's JSON form; 415 for kinds it cannot read. */
export function decodeProtobufBody(buf: Buffer): Record<string, unknown> {
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw badRequest('protobuf body: missing the k8s envelope');
  const unknown = fields(buf.subarray(MAGIC.length));
  const typeMeta = (message({ 1: ['apiVersion', text], 2: ['kind', text] })(
    unknown.find((f) => f.n === 1) ?? { n: 1 },
  ) ?? {}) as { apiVersion?: string; kind?: string };
  const read = KINDS[`${typeMeta.apiVersion} ${typeMeta.kind}`];
  if (!read) throw unreadable(`${typeMeta.apiVersion ?? '?'} ${typeMeta.kind ?? '?'}`);
  const raw = unknown.find((f) => f.n === 2) ?? { n: 2 };
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...(read(raw) as object | undefined) };
}
