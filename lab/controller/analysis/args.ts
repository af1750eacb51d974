import type { AnalysisArg, Metric } from '../types';

/** Replaces `{{args.name}}` in every string of a metric with resolved arg values (Argo's ResolveMetricArgs). */
export function resolveMetricArgs(metric: Metric, args: AnalysisArg[] | undefined): Metric {
  const values = new Map<string, string>();
  for (const a of args ?? []) if (a.value !== undefined) values.set(a.name, a.value);
  const missing = new Set<string>();
  const sub = (s: string): string =>
    s.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (all, name: string) => {
      const v = values.get(name);
      if (v === undefined) {
        missing.add(name);
        return all;
      }
      return v;
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(metric) as Metric;
  if (missing.size > 0) throw new Error(`failed to resolve {{args.${[...missing][0]}}}`);
  return out;
}
