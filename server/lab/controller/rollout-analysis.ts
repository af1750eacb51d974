import {
  type AnalysisArg,
  type AnalysisRun,
  type AnalysisTemplate,
  HASH_LABEL,
  REVISION_ANNOTATION,
  ROLLOUT_API_VERSION,
  type Rollout,
  type RolloutAnalysis,
} from './types';

export const RUN_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';
export const ATTEMPT_LABEL = 'rollouts.lab/attempt';

export type RunKind = 'Step' | 'Background';

/** Deterministic names: `<rollout>-<hash>-<stepIndex>` (step) or `<rollout>-<hash>-bg` (background), `-<n>` for retries. */
export function runName(
  ro: Rollout,
  hash: string,
  kind: RunKind,
  stepIndex: number,
  attempt: number,
): string {
  const base = `${ro.metadata.name}-${hash}-${kind === 'Step' ? stepIndex : 'bg'}`;
  return attempt > 1 ? `${base}-${attempt}` : base;
}

export function runsFor(runs: AnalysisRun[], hash: string, kind: RunKind, stepIndex: number): AnalysisRun[] {
  return runs.filter((r) => {
    const l = r.metadata.labels ?? {};
    return (
      l[HASH_LABEL] === hash &&
      l[RUN_TYPE_LABEL] === kind &&
      (kind === 'Background' || l[STEP_INDEX_LABEL] === String(stepIndex))
    );
  });
}

export const attemptOf = (r: AnalysisRun): number => Number(r.metadata.labels?.[ATTEMPT_LABEL] ?? '1') || 1;

function fieldPath(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  const parts = path.match(/[^.[\]'"]+/g) ?? [];
  for (const p of parts) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur === undefined || cur === null ? undefined : typeof cur === 'string' ? cur : JSON.stringify(cur);
}

/** Resolves rollout-side arg values: value, fieldRef on the Rollout, podTemplateHashValue Stable|Latest. */
export function resolveRolloutArgs(
  ro: Rollout,
  args: AnalysisArg[] | undefined,
  stableHash: string | undefined,
  latestHash: string,
): AnalysisArg[] {
  return (args ?? []).map((a) => {
    if (a.value !== undefined) return { name: a.name, value: a.value };
    const from = a.valueFrom;
    if (from?.podTemplateHashValue)
      return {
        name: a.name,
        value: from.podTemplateHashValue === 'Stable' ? (stableHash ?? '') : latestHash,
      };
    if (from?.fieldRef) {
      const v = fieldPath(ro, from.fieldRef.fieldPath);
      return v === undefined ? { name: a.name } : { name: a.name, value: v };
    }
    return { ...a };
  });
}

/** Merges template args (defaults) with the rollout's args (values win), as Argo's MergeArgs. */
export function mergeArgs(templateArgs: AnalysisArg[], given: AnalysisArg[]): AnalysisArg[] {
  const out = new Map<string, AnalysisArg>();
  for (const a of templateArgs) out.set(a.name, { ...a });
  for (const a of given) out.set(a.name, { ...out.get(a.name), ...a });
  return [...out.values()];
}

export interface BuildRunInput {
  ro: Rollout;
  analysis: RolloutAnalysis;
  templates: AnalysisTemplate[];
  clusterTemplates: AnalysisTemplate[];
  hash: string;
  stableHash: string | undefined;
  revision: number;
  kind: RunKind;
  stepIndex: number;
  attempt: number;
}

/** An AnalysisRun from the referenced templates, or a message naming the template that is missing. */
export function buildAnalysisRun(i: BuildRunInput): { run?: AnalysisRun; error?: string } {
  const metrics: AnalysisRun['spec']['metrics'] = [];
  let templateArgs: AnalysisArg[] = [];
  const dryRun = [...(i.analysis.dryRun ?? [])];
  for (const ref of i.analysis.templates ?? []) {
    const pool = ref.clusterScope ? i.clusterTemplates : i.templates;
    const t = pool.find((x) => x.metadata.name === ref.templateName);
    if (!t) {
      const kind = ref.clusterScope ? 'clusteranalysistemplate' : 'analysistemplate';
      return { error: `${kind}.argoproj.io "${ref.templateName}" not found` };
    }
    metrics.push(...structuredClone(t.spec.metrics ?? []));
    templateArgs = mergeArgs(templateArgs, t.spec.args ?? []);
    dryRun.push(...(t.spec.dryRun ?? []));
  }
  const given = resolveRolloutArgs(i.ro, i.analysis.args, i.stableHash, i.hash);
  const args = mergeArgs(templateArgs, given);
  const unresolved = args.find((a) => a.value === undefined && !a.valueFrom);
  if (unresolved) return { error: `args.${unresolved.name} was not resolved` };
  const labels: Record<string, string> = {
    [HASH_LABEL]: i.hash,
    [RUN_TYPE_LABEL]: i.kind,
    [ATTEMPT_LABEL]: String(i.attempt),
  };
  if (i.kind === 'Step') labels[STEP_INDEX_LABEL] = String(i.stepIndex);
  const run: AnalysisRun = {
    apiVersion: ROLLOUT_API_VERSION,
    kind: 'AnalysisRun',
    metadata: {
      name: runName(i.ro, i.hash, i.kind, i.stepIndex, i.attempt),
      namespace: i.ro.metadata.namespace,
      labels,
      annotations: { [REVISION_ANNOTATION]: String(i.revision) },
      ownerReferences: [
        {
          apiVersion: ROLLOUT_API_VERSION,
          kind: 'Rollout',
          name: i.ro.metadata.name ?? '',
          uid: i.ro.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { metrics, args },
  };
  if (dryRun.length > 0) run.spec.dryRun = dryRun;
  return { run };
}
