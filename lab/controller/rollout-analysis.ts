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
/** Argo's LabelKeyControllerInstanceID: copied from the Rollout onto its AnalysisRuns when set. */
export const INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

export type RunKind = 'Step' | 'Background';

/**
 * Argo's names (rollout/analysis.go newAnalysisRunFromRollout): `<rollout>-<hash>-<revision>-<stepIndex>` for a step,
 * `<rollout>-<hash>-<revision>` for the background run. A retry of the same hash at the same revision collides with
 * the earlier run and gets `.1`, `.2`, … (utils/analysis/helpers.go CreateWithCollisionCounter).
 */
export function runBaseName(
  ro: Rollout,
  hash: string,
  revision: number,
  kind: RunKind,
  stepIndex: number,
): string {
  const base = `${ro.metadata.name}-${hash}-${revision}`;
  return kind === 'Step' ? `${base}-${stepIndex}` : base;
}

/** The collision counter of a run named `base` or `base.N` (0 for `base`), or undefined for another name. */
export function collisionIndex(name: string | undefined, base: string): number | undefined {
  if (name === base) return 0;
  if (!name?.startsWith(`${base}.`)) return undefined;
  const n = name.slice(base.length + 1);
  return /^[1-9]\d*$/.test(n) ? Number(n) : undefined;
}

/** The first free name of CreateWithCollisionCounter: `base`, then `base.1`, `base.2`, … */
export function freeRunName(base: string, taken: Iterable<string | undefined>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 1; ; n++) if (!names.has(`${base}.${n}`)) return `${base}.${n}`;
}

export const revisionOfRun = (r: AnalysisRun): number =>
  Number.parseInt(r.metadata.annotations?.[REVISION_ANNOTATION] ?? '0', 10) || 0;

/** The runs of one analysis (hash, revision, kind, step), in creation order (Argo's collision counter). */
export function runsFor(
  runs: AnalysisRun[],
  hash: string,
  revision: number,
  kind: RunKind,
  stepIndex: number,
  base: string,
): AnalysisRun[] {
  return runs
    .filter((r) => {
      const l = r.metadata.labels ?? {};
      return (
        l[HASH_LABEL] === hash &&
        l[RUN_TYPE_LABEL] === kind &&
        revisionOfRun(r) === revision &&
        (kind === 'Background' || l[STEP_INDEX_LABEL] === String(stepIndex))
      );
    })
    .sort(
      (a, b) => (collisionIndex(a.metadata.name, base) ?? 0) - (collisionIndex(b.metadata.name, base) ?? 0),
    );
}

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
  /** From runBaseName/freeRunName. */
  name: string;
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
  // Argo's StepLabels/BackgroundLabels, then analysisRunMetadata, then the Rollout's selector (later keys win).
  const labels: Record<string, string> = { [HASH_LABEL]: i.hash, [RUN_TYPE_LABEL]: i.kind };
  if (i.kind === 'Step') labels[STEP_INDEX_LABEL] = String(i.stepIndex);
  const instanceId = i.ro.metadata.labels?.[INSTANCE_ID_LABEL];
  if (instanceId) labels[INSTANCE_ID_LABEL] = instanceId;
  Object.assign(labels, i.analysis.analysisRunMetadata?.labels, i.ro.spec.selector?.matchLabels);
  const annotations = {
    [REVISION_ANNOTATION]: String(i.revision),
    ...i.analysis.analysisRunMetadata?.annotations,
  };
  const run: AnalysisRun = {
    apiVersion: ROLLOUT_API_VERSION,
    kind: 'AnalysisRun',
    metadata: {
      name: i.name,
      namespace: i.ro.metadata.namespace,
      labels,
      annotations,
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
