import { badRequest } from './status-error';
import type { KubeObject } from './types';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Matcher = (obj: KubeObject) => boolean;

/** Kubernetes label selector syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function parseLabelSelector(selector: string | undefined): Matcher {
  if (!selector?.trim()) return () => true;
  const reqs: Requirement[] = [];
  for (const raw of splitTopLevel(selector)) {
    const part = raw.trim();
    if (part) reqs.push(parseRequirement(part));
  }
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => {
      const has = Object.hasOwn(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'eq':
          return v === r.value;
        case 'neq':
          return v !== r.value;
        case 'in':
          return has && r.values.includes(v ?? '');
        case 'notin':
          return !has || !r.values.includes(v ?? '');
        case 'exists':
          return has;
        default:
          return !has;
      }
    });
  };
}

function parseRequirement(part: string): Requirement {
  const set = part.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/);
  if (set) {
    const values = (set[3] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    return { op: set[2] === 'in' ? 'in' : 'notin', key: set[1] ?? '', values };
  }
  const eq = part.match(/^([\w./-]+)\s*(!=|==|=)\s*([\w.-]*)$/);
  if (eq) return { op: eq[2] === '!=' ? 'neq' : 'eq', key: eq[1] ?? '', value: eq[3] ?? '' };
  const not = part.match(/^!([\w./-]+)$/);
  if (not) return { op: 'notexists', key: not[1] ?? '' };
  const exists = part.match(/^([\w./-]+)$/);
  if (exists) return { op: 'exists', key: exists[1] ?? '' };
  throw badRequest(`unable to parse requirement: "${part}"`);
}

/** Field selectors: `metadata.name=x,metadata.namespace!=y,involvedObject.uid=z` (any dotted path, = / == / !=). */
export function parseFieldSelector(selector: string | undefined): Matcher {
  if (!selector?.trim()) return () => true;
  const terms = selector.split(',').map((t) => {
    const m = t.trim().match(/^([\w.]+)\s*(!=|==|=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid field selector: "${t}"`);
    return { path: (m[1] ?? '').split('.'), neq: m[2] === '!=', value: m[3] ?? '' };
  });
  return (obj) =>
    terms.every((t) => {
      let cur: unknown = obj;
      for (const k of t.path)
        cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
      const s = cur === undefined || cur === null ? '' : String(cur);
      return t.neq ? s !== t.value : s === t.value;
    });
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
