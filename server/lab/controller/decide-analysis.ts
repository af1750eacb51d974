import { isCompleted } from './analysis/assess';
import { addPause, hasPause, isUnpausing } from './decide-pause';
import type { Ctx } from './decide-types';
import { event } from './decide-types';
import { buildAnalysisRun, freeRunName, type RunKind, runBaseName, runsFor } from './rollout-analysis';
import type { AnalysisRun, RolloutAnalysis, RunStatusRef } from './types';

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
    ctx.abortMessage = message;
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
