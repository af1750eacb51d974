/**
 * Test support: what Argo CD would see of a change, modelled on its source (argoproj/argo-cd v3.5.1):
 *  - `ignoreDifferences` normalization (util/argo/normalizers/diff_normalizer.go): each jsonPointer is an RFC 6902
 *    `remove` op, each jqPathExpression is run as `del(<expr>)` (gojq there, the Debian `jq` binary here), on the
 *    live and on the desired object alike;
 *  - which entries apply to an object: group, kind, and name/namespace when the entry sets them;
 *  - a field Git does not hold is not diffed (gitops-engine/pkg/diff/diff.go: the three-way/two-way diff keeps live-only
 *    map fields, the structured-merge diff keeps fields of other managers), unless an ancestor in Git is a list:
 *    for custom resources lists are compared whole (JSON merge patch), so nothing below a Git list is "not in Git".
 */
import { spawnSync } from 'node:child_process';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface IgnoreEntry {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface ObjectRef {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

const unescapeToken = (t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~');
const escapeToken = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');

/** RFC 6901 tokens of a pointer ("" = the whole document). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map(unescapeToken);
}

export const toPointer = (tokens: string[]): string => tokens.map((t) => `/${escapeToken(t)}`).join('');

/** The value at `tokens`, or undefined when the path does not exist (array tokens must be indexes). */
export function valueAt(doc: Json | undefined, tokens: string[]): Json | undefined {
  let cur: Json | undefined = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(t)) return undefined;
      cur = cur[Number(t)];
    } else if (cur !== null && typeof cur === 'object') {
      cur = Object.hasOwn(cur, t) ? cur[t] : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** RFC 6902 `remove` on a copy; a missing path leaves the document as it is (Argo CD logs and skips that patch). */
function removePointer(doc: Json, pointer: string): Json {
  const tokens = pointerTokens(pointer);
  const last = tokens.pop();
  if (last === undefined) return doc;
  const copy = structuredClone(doc);
  const parent = valueAt(copy, tokens);
  if (Array.isArray(parent)) {
    if (/^(0|[1-9]\d*)$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  } else if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last))
    delete parent[last];
  return copy;
}

/** `jq -c 'del(<expr>)'` with the real jq; a jq error fails loudly (Argo CD reports it on the Application). */
function jqDelete(jq: string, doc: Json, expr: string): Json {
  const r = spawnSync(jq, ['-c', `del(${expr})`], { input: JSON.stringify(doc), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`jq del(${expr}) failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Json;
}

/** Whether an ignoreDifferences entry applies to the object (an entry without name/namespace matches every one). */
export function entryMatches(e: IgnoreEntry, ref: ObjectRef): boolean {
  const groupOk = e.group === '*' || (e.group ?? '') === ref.group;
  const kindOk = e.kind === '*' || e.kind === ref.kind;
  return (
    groupOk &&
    kindOk &&
    (!e.name || e.name === ref.name) &&
    (!e.namespace || e.namespace === (ref.namespace ?? ''))
  );
}

/** The object as Argo CD compares it: every matching entry's pointers removed and jq deletions applied. */
export function normalize(jq: string, entries: IgnoreEntry[], ref: ObjectRef, doc: Json): Json {
  let out = doc;
  for (const e of entries.filter((x) => entryMatches(x, ref))) {
    for (const p of e.jsonPointers ?? []) out = removePointer(out, p);
    for (const q of e.jqPathExpressions ?? []) out = jqDelete(jq, out, q);
  }
  return out;
}

/** API-server bookkeeping that no client writes as content (and Argo CD removes before diffing). */
const BOOKKEEPING = new Set([
  '/metadata/resourceVersion',
  '/metadata/generation',
  '/metadata/managedFields',
  '/metadata/uid',
  '/metadata/creationTimestamp',
]);

/** Leaf-level JSON pointers where `before` and `after` differ (a whole subtree added or removed is its root). */
export function changedPaths(
  before: Json | undefined,
  after: Json | undefined,
  prefix: string[] = [],
): string[] {
  const here = toPointer(prefix);
  if ([...BOOKKEEPING].some((b) => here === b || here.startsWith(`${b}/`))) return [];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: Json | undefined): v is { [k: string]: Json } =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => changedPaths(before[k], after[k], [...prefix, k]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) =>
      changedPaths(before[i], after[i], [...prefix, String(i)]),
    ).flat();
  }
  return [here];
}

/**
 * Whether Git holds nothing at `pointer` that Argo CD would compare: no value there, and every ancestor Git holds is
 * a map (a list in Git is compared whole for custom resources, so any change below it is a difference).
 */
export function notInGit(desired: Json, pointer: string): boolean {
  let cur: Json | undefined = desired;
  for (const t of pointerTokens(pointer)) {
    if (cur === undefined) return true;
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return false;
    cur = Object.hasOwn(cur, t) ? cur[t] : undefined;
  }
  return cur === undefined;
}
