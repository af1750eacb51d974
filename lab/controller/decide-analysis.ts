import { isCompleted } from './analysis/assess';
import { addPause, hasPause, isUnpausing } from './decide-pause';
import type { Ctx } from './decide-types';
import { event } from './decide-types';
import {
  buildAnalysisRun,
  freeRunName,
  RUN_TYPE_LABEL,
  type RunKind,
  revisionOfRun,
  runBaseName,
  runsFor,
  STEP_INDEX_LABEL,
} from './rollout-analysis';
import { type AnalysisRun, HASH_LABEL, type RolloutAnalysis, type RunStatusRef } from './types';

export type RunVerdict = 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error' | 'Missing';

const refKey = (kind: RunKind) =>
  kind === 'Step' ? 'currentStepAnalysisRunStatus' : 'currentBackgroundAnalysisRunStatus';

function setRef(ctx: Ctx, kind: RunKind, ref: RunStatusRef | null): void {
  ctx.st.canary = { ...ctx.st.canary, [refKey(kind)]: ref };
}

/**
 * Makes sure the analysis for the current step (or the background analysis) has its AnalysisRun and reports its
 * verdict. The run in status is kept; a running one is adopted (after a restart); otherwise the next attempt is made,
 * including after an Inconclusive run the user promoted past (Argo's needsNewAnalysisRun).
 */
export function ensureAnalysis(
  ctx: Ctx,
  kind: RunKind,
  analysis: RolloutAnalysis,
  stepIndex: number,
): RunVerdict {
  const base = runBaseName(ctx.ro, ctx.hash, ctx.revision, kind, stepIndex);
  const runs = runsFor(ctx.obs.analysisRuns, ctx.hash, ctx.revision, kind, stepIndex, base);
  const prev = ctx.st.canary?.[refKey(kind)] ?? undefined;
  let run: AnalysisRun | undefined =
    runs.find((r) => r.metadata.name === prev?.name) ??
    runs.find((r) => !isCompleted(r.status?.phase) && !r.spec.terminate);
  if (run?.status?.phase === 'Inconclusive' && isUnpausing(ctx) && !hasPause(ctx, 'InconclusiveAnalysisRun'))
    run = undefined;
  if (!run) {
    const built = buildAnalysisRun({
      ro: ctx.ro,
      analysis,
      templates: ctx.obs.analysisTemplates,
      clusterTemplates: ctx.obs.clusterAnalysisTemplates,
      hash: ctx.hash,
      stableHash: ctx.st.stableRS,
      revision: ctx.revision,
      kind,
      stepIndex,
      name: freeRunName(
        base,
        ctx.obs.analysisRuns.map((r) => r.metadata.name),
      ),
    });
    if (!built.run) {
      ctx.abortMessage = built.error;
      ctx.st.abort = true;
      event(
        ctx,
        'Warning',
        'AnalysisRunError',
        `Failed to create ${kind === 'Step' ? 'step' : 'background'} analysis run: ${built.error}`,
      );
      return 'Missing';
    }
    ctx.actions.push({ type: 'createAnalysisRun', analysisRun: built.run });
    run = built.run;
  }
  const name = run.metadata.name ?? '';
  const phase = isCompleted(run.status?.phase) ? (run.status?.phase as RunVerdict) : 'Running';
  const message = run.status?.message;
  const prevStatus = prev?.name === name ? prev.status : undefined;
  if (prevStatus !== phase) {
    const warn = phase === 'Failed' || phase === 'Error';
    event(
      ctx,
      warn ? 'Warning' : 'Normal',
      `AnalysisRun${phase}`,
      `${kind === 'Step' ? 'Step' : 'Background'} Analysis Run '${name}' Status New: '${phase}' Previous: '${prevStatus ?? 'NONE'}'`,
    );
  }
  setRef(ctx, kind, message ? { name, status: phase, message } : { name, status: phase });
  if (phase === 'Failed' || phase === 'Error') {
    ctx.st.abort = true;
    // Argo v1.9.1 rollout/analysis.go (reconcileStepBasedAnalysisRun, reconcileBackgroundAnalysisRun) names the kind.
    const head = `${kind === 'Step' ? 'Step-based' : 'Background'} analysis phase error/failed`;
    ctx.abortMessage = message ? `${head}: ${message}` : head;
  } else if (phase === 'Inconclusive' && !hasPause(ctx, 'InconclusiveAnalysisRun')) {
    addPause(ctx, 'InconclusiveAnalysisRun');
  }
  return phase;
}

/** Stops every unfinished AnalysisRun `keep` does not accept (spec.terminate, like Argo's cancelAnalysisRuns). */
export function terminateRuns(ctx: Ctx, keep: (r: AnalysisRun) => boolean): void {
  for (const r of ctx.obs.analysisRuns) {
    if (isCompleted(r.status?.phase) || r.spec.terminate || keep(r)) continue;
    ctx.actions.push({ type: 'terminateAnalysisRun', name: r.metadata.name ?? '' });
  }
}

/**
 * An analysis with no templates runs nothing (Argo v1.9.1 rollout/analysis.go, reconcileStepBasedAnalysisRun and
 * reconcileBackgroundAnalysisRun): the current run of that kind is cancelled and no longer referenced in status. A
 * step's analysis then never succeeds, so the rollout stays at that step (canary.go completedCurrentCanaryStep).
 */
export function cancelAnalysis(ctx: Ctx, kind: RunKind, stepIndex: number): void {
  terminateRuns(ctx, (r) => {
    const l = r.metadata.labels ?? {};
    const ours =
      l[HASH_LABEL] === ctx.hash &&
      revisionOfRun(r) === ctx.revision &&
      l[RUN_TYPE_LABEL] === kind &&
      (kind === 'Background' || l[STEP_INDEX_LABEL] === String(stepIndex));
    return !ours;
  });
  if (ctx.st.canary?.[refKey(kind)]) setRef(ctx, kind, null);
}
