import 'server-only';
import { z } from 'zod';
import { THRESHOLD_FIELDS } from '@/lib/schemas/slo-thresholds';

const runSchema = z.object({
  metadata: z.object({
    name: z.string(),
    creationTimestamp: z.string().optional(),
    resourceVersion: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    ownerReferences: z
      .array(z.object({ kind: z.string().optional(), name: z.string().optional() }))
      .optional(),
  }),
  spec: z.object({
    args: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
    metrics: z
      .array(z.object({ provider: z.object({ web: z.object({ url: z.string() }).optional() }).optional() }))
      .optional(),
  }),
});

export interface JudgeUrlParams {
  /** The AnalysisRun whose judge URL it is. */
  run: string;
  /** The threshold parameters of that URL, args substituted as Argo substitutes them at measurement time. */
  params: Record<string, string>;
}

type RunMeta = z.infer<typeof runSchema>['metadata'];

const num = (s: string | undefined) => {
  const n = Number(s);
  return Number.isFinite(n) ? n : -1;
};

/**
 * Newest first: creation time (seconds), then Argo's `step-index` label (later steps are created later), then the
 * resourceVersion (numeric on etcd and in the lab), so runs created in the same second still order.
 */
function newerFirst(a: RunMeta, b: RunMeta): number {
  const time = (m: RunMeta) => Date.parse(m.creationTimestamp ?? '') || 0;
  return (
    time(b) - time(a) ||
    num(b.labels?.['step-index']) - num(a.labels?.['step-index']) ||
    num(b.resourceVersion) - num(a.resourceVersion)
  );
}

const isJudgeUrl = (url: string) => /\/api\/v1\/judge(\?|$)/.test(url);

/**
 * The threshold parameters the newest judge AnalysisRun of a rollout's canary (label rollouts-pod-template-hash)
 * sends: its web metric's URL with `{{args.x}}` replaced by the run's arg values (an arg without a value stays
 * literal, so the query schema names it as not substituted). Null when no such run exists: the dashboard then shows
 * the thresholds CONTROL_CENTER_CONFIG or the defaults give, which is what the judge applies to a query without them.
 */
export function judgeUrlParams(
  runs: readonly unknown[],
  rollout: string,
  hash: string,
): JudgeUrlParams | null {
  const candidates = runs
    .map((r) => runSchema.safeParse(r))
    .flatMap((p) => (p.success ? [p.data] : []))
    .filter(
      (r) =>
        r.metadata.labels?.['rollouts-pod-template-hash'] === hash &&
        r.metadata.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === rollout),
    )
    .map((r) => ({
      r,
      url: r.spec.metrics?.map((m) => m.provider?.web?.url).find((u) => u && isJudgeUrl(u)),
    }))
    .filter((c): c is { r: typeof c.r; url: string } => c.url !== undefined)
    .sort((a, b) => newerFirst(a.r.metadata, b.r.metadata));
  const newest = candidates[0];
  if (!newest) return null;
  const values = new Map(
    (newest.r.spec.args ?? []).flatMap((a) => (a.value === undefined ? [] : [[a.name, a.value]])),
  );
  const url = newest.url.replace(
    /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g,
    (all, name: string) => values.get(name) ?? all,
  );
  let search: URLSearchParams;
  try {
    search = new URL(url, 'http://judge.invalid').searchParams;
  } catch {
    return { run: newest.r.metadata.name, params: {} };
  }
  const params: Record<string, string> = {};
  for (const f of THRESHOLD_FIELDS) {
    const v = search.get(f);
    if (v !== null) params[f] = v;
  }
  return { run: newest.r.metadata.name, params };
}
