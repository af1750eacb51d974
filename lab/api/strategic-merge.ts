/**
 * Strategic merge patch for the built-in kinds (core, apps, batch), written for the merge keys those kinds use:
 * lists of containers/env/volumes/... merge by key, `null` deletes, `$patch: delete|replace`, `$retainKeys`,
 * `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` as kubectl sends them.
 */
type Json = unknown;
type Obj = Record<string, Json>;

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  readinessGates: 'conditionType',
  resourceClaims: 'name',
};
/** Primitive lists whose strategy is merge (union) rather than replace. */
const PRIMITIVE_MERGE = new Set(['finalizers']);

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function mergeKeyFor(field: string, ...lists: Json[][]): string | undefined {
  if (field === 'ports') {
    const items = lists.flat().filter(isObj);
    return items.some((i) => 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

/** Applies a strategic merge patch to a copy of `target`; `undefined` means "delete this value". */
export function strategicMerge(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch.$patch === 'delete') return undefined;
  const base: Obj = isObj(target) && patch.$patch !== 'replace' ? structuredClone(target) : {};
  const orders: Array<[string, Json[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER)) {
      if (Array.isArray(value)) orders.push([key.slice(SET_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const cur = base[field];
      if (Array.isArray(cur) && Array.isArray(value)) base[field] = cur.filter((x) => !value.includes(x));
      continue;
    }
    if (value === null) delete base[key];
    else if (Array.isArray(value)) base[key] = mergeList(key, base[key], value);
    else if (isObj(value)) {
      const merged = strategicMerge(base[key], value);
      if (merged === undefined) delete base[key];
      else base[key] = merged;
    } else base[key] = value;
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const k of Object.keys(base)) if (!keep.has(k)) delete base[k];
  }
  for (const [field, order] of orders) {
    const list = base[field];
    if (Array.isArray(list)) base[field] = reorder(field, list, order);
  }
  return base;
}

function mergeList(field: string, current: Json, patch: Json[]): Json[] {
  const cur = Array.isArray(current) ? current : [];
  const key = mergeKeyFor(field, cur, patch);
  if (!key || !patch.every((p) => isObj(p))) {
    if (PRIMITIVE_MERGE.has(field)) return [...cur, ...patch.filter((p) => !cur.includes(p))];
    return structuredClone(patch);
  }
  const items = patch.filter(isObj);
  if (items.some((p) => p.$patch === 'replace'))
    return items.filter((p) => p.$patch !== 'replace').map((p) => strategicMerge({}, p));
  const out: Json[] = structuredClone(cur);
  for (const p of items) {
    const idx = out.findIndex((o) => isObj(o) && o[key] === p[key]);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], p);
    else out.push(strategicMerge({}, p));
  }
  return out;
}

function reorder(field: string, list: Json[], order: Json[]): Json[] {
  const key = mergeKeyFor(field, list);
  const id = (v: Json): Json => (key && isObj(v) ? v[key] : v);
  const wanted = order.map(id);
  const rank = (v: Json) => {
    const i = wanted.indexOf(id(v));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list
    .map((v, i) => ({ v, i }))
    .sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i)
    .map((x) => x.v);
}
