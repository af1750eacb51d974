import type { Role } from '../auth/roles';

/**
 * What a non-admin may see of a Kubernetes object: everything the pages show, minus what can carry secrets.
 * Removed: container `env[].value` / `env[].valueFrom` (names kept), `envFrom`, the `last-applied-configuration`
 * annotation and `managedFields` (both repeat the whole object as written), ConfigMap/Secret `data`, `binaryData` and
 * `stringData` (except the keys the UI reads: `faults.json` of ConfigMap `webapp-faults`), AnalysisRun/Template
 * argument values and web-provider header values. Admins get the raw object (`forRole`).
 *
 * Pure and copy-on-write: the informer cache's objects are never changed; untouched branches are shared.
 */

type Obj = Record<string, unknown>;

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Data keys a non-admin may read, per ConfigMap name (the fault panel reads `faults.json` of `webapp-faults`). */
export const READABLE_DATA: Readonly<Record<string, readonly string[]>> = {
  'webapp-faults': ['faults.json'],
};

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function metadata(meta: unknown): unknown {
  if (!isObj(meta)) return meta;
  const { managedFields: _, ...rest } = meta;
  if (isObj(rest.annotations) && LAST_APPLIED in rest.annotations) {
    const { [LAST_APPLIED]: __, ...annotations } = rest.annotations;
    rest.annotations = annotations;
  }
  return rest;
}

function container(c: unknown): unknown {
  if (!isObj(c)) return c;
  const { envFrom: _, ...rest } = c;
  if (Array.isArray(rest.env)) rest.env = rest.env.map((e) => (isObj(e) ? { name: e.name } : {}));
  return rest;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

function podSpec(spec: unknown): unknown {
  if (!isObj(spec)) return spec;
  const out: Obj = { ...spec };
  for (const k of CONTAINER_LISTS) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map(container);
  return out;
}

/** A pod template (`{metadata, spec}`) of a Rollout, ReplicaSet, Deployment, Job, Experiment... */
function podTemplate(t: unknown): unknown {
  if (!isObj(t)) return t;
  return { ...t, metadata: metadata(t.metadata), spec: podSpec(t.spec) };
}

function analysisSpec(spec: Obj): Obj {
  const out: Obj = { ...spec };
  if (Array.isArray(out.args)) out.args = out.args.map((a) => (isObj(a) ? { name: a.name } : {}));
  if (Array.isArray(out.metrics))
    out.metrics = out.metrics.map((m) => {
      if (!isObj(m) || !isObj(m.provider) || !isObj(m.provider.web) || !Array.isArray(m.provider.web.headers))
        return m;
      const headers = m.provider.web.headers.map((h) => (isObj(h) ? { key: h.key } : {}));
      return { ...m, provider: { ...m.provider, web: { ...m.provider.web, headers } } };
    });
  return out;
}

function spec(s: unknown): unknown {
  if (!isObj(s)) return s;
  let out: Obj = podSpec(s) as Obj;
  if ('template' in out) out.template = podTemplate(out.template);
  if (Array.isArray(out.templates))
    out.templates = out.templates.map((t) => (isObj(t) ? { ...t, template: podTemplate(t.template) } : t));
  if (isObj(out.jobTemplate) && isObj(out.jobTemplate.spec))
    out.jobTemplate = {
      ...out.jobTemplate,
      spec: { ...out.jobTemplate.spec, template: podTemplate(out.jobTemplate.spec.template) },
    };
  if ('args' in out || 'metrics' in out) out = analysisSpec(out);
  return out;
}

/** The object as a non-admin sees it (see above); anything that is not an object passes as it is. */
export function redactObject<T>(obj: T): T {
  if (!isObj(obj)) return obj;
  const out: Obj = { ...obj };
  if ('metadata' in out) out.metadata = metadata(out.metadata);
  if ('spec' in out) out.spec = spec(out.spec);
  // ConfigMaps and Secrets (the only kinds with top-level data): only allow-listed keys survive.
  delete out.binaryData;
  delete out.stringData;
  if ('data' in out) {
    const name = isObj(obj.metadata) ? obj.metadata.name : undefined;
    const keep = obj.kind !== 'Secret' && typeof name === 'string' ? (READABLE_DATA[name] ?? []) : [];
    const data = isObj(out.data) ? out.data : {};
    out.data = Object.fromEntries(keep.filter((k) => k in data).map((k) => [k, data[k]]));
  }
  return out as T;
}

/** The raw object for admins, the redacted one for everyone else. */
export const forRole = <T>(obj: T, role: Role | null | undefined): T =>
  role === 'admin' ? obj : redactObject(obj);
