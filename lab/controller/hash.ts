import { HASH_LABEL, type PodTemplate } from './types';

/** The alphabet Kubernetes' `rand.SafeEncodeString` maps onto (no vowels, no look-alikes). */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a 32-bit, as Go's hash/fnv New32a used by ComputeHash. */
export function fnv32a(input: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(input, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** `rand.SafeEncodeString`: each character of the decimal hash mapped onto the safe alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHANUMS[(ch.codePointAt(0) ?? 0) % SAFE_ALPHANUMS.length];
  return out;
}

/** JSON with sorted keys, so equal templates hash equally whatever their key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The template without the controller's own hash label (what an undo sends back must hash the same). */
export function normalizeTemplate(template: PodTemplate | undefined): PodTemplate {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  if (t.metadata && Object.keys(t.metadata).length === 0) delete t.metadata;
  return t;
}

/** Like Argo's `controller.ComputeHash`: FNV-32a of the template, safe-encoded (up to 10 chars). */
export function podTemplateHash(template: PodTemplate | undefined, collisionCount?: number): string {
  let s = stableStringify(normalizeTemplate(template));
  if (collisionCount !== undefined) s += String(collisionCount);
  return safeEncode(String(fnv32a(s)));
}

/** A short hash of any value (steps hash, event names). */
export function shortHash(v: unknown): string {
  return safeEncode(String(fnv32a(stableStringify(v))));
}
