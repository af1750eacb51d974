import { type AllowedActions, allowedActions, isPaused, updateInProgress } from './allowed-actions';
import { type AnalysisRunView, analysisRunViews } from './analysis';
import {
  type AnalysisRun,
  type Pod,
  REVISION_ANNOTATION,
  type ReplicaSet,
  type Rollout,
  type VirtualService,
} from './kube-types';
import { isLoadJobFor, type LoadJob, type LoadProgress, loadProgress } from './load-progress';
import { imagesOf, type RevisionView, revisionViews } from './revisions';
import { actualWeightOf, type PauseView, pauseOf, phaseOf, type RolloutPhase } from './rollout-status';
import { canarySteps, currentSetWeight, currentStepIndex, type StepView, stepViews } from './steps';

export interface RolloutContext {
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  pods: Pod[];
  virtualService?: VirtualService;
  /** Jobs in the rollout's namespace (the control center's load runs are picked out of them). */
  jobs?: LoadJob[];
  /** ms since epoch. */
  now: number;
}

export interface RolloutView {
  namespace: string;
  name: string;
  phase: RolloutPhase;
  message: string;
  revision: number | null;
  stableImage: string | null;
  canaryImage: string | null;
  /** `index` is status.currentStepIndex (0-based; equals `total` when every step is done). */
  step: { index: number; total: number } | null;
  steps: StepView[];
  setWeight: number;
  actualWeight: number | null;
  pause: PauseView | null;
  paused: boolean;
  aborted: boolean;
  abortedAt: string | null;
  analysisRuns: AnalysisRunView[];
  revisions: RevisionView[];
  pods: { total: number; ready: number };
  /** The newest load run the control center started for this rollout. */
  load: LoadProgress | null;
  needsAttention: boolean;
  allowedActions: AllowedActions;
  createdAt: string | null;
  resourceVersion: string | null;
}

export type RolloutSummary = Pick<
  RolloutView,
  | 'namespace'
  | 'name'
  | 'phase'
  | 'message'
  | 'revision'
  | 'stableImage'
  | 'canaryImage'
  | 'step'
  | 'setWeight'
  | 'actualWeight'
  | 'paused'
  | 'aborted'
  | 'needsAttention'
  | 'createdAt'
> & {
  analysisPhase: string | null;
  /** The kube context the rollout lives in (set when the control center watches several). */
  context?: string;
};

const podReady = (p: Pod) =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The rollout as the UI shows it (Argo's NewRolloutInfo): the browser never interprets raw CRD status itself. */
export function rolloutView(ro: Rollout, ctx: RolloutContext): RolloutView {
  const { phase, message } = phaseOf(ro);
  const st = ro.status;
  const revisions = revisionViews(ro, ctx.replicaSets);
  const stable = revisions.find((r) => r.isStable);
  const canary = revisions.find((r) => r.isCanary);
  const inProgress = updateInProgress(ro);
  const templateImage = imagesOf(ro.spec?.template)[0] ?? null;
  const annotated = Number(ro.metadata?.annotations?.[REVISION_ANNOTATION]);
  const currentRs = revisions.find((r) => r.podHash === st?.currentPodHash);
  const steps = canarySteps(ro);
  const idx = currentStepIndex(ro);
  const hashes = new Set(revisions.map((r) => r.podHash));
  const pods = ctx.pods.filter(
    (p) =>
      p.metadata?.namespace === ro.metadata?.namespace &&
      !p.metadata?.deletionTimestamp &&
      hashes.has(p.metadata?.labels?.['rollouts-pod-template-hash'] ?? '-'),
  );
  const aborted = st?.abort === true;
  const loadJob = (ctx.jobs ?? [])
    .filter((j) => isLoadJobFor(j, ro.metadata?.namespace ?? '', ro.metadata?.name ?? ''))
    .sort((a, b) =>
      (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''),
    )[0];
  return {
    namespace: ro.metadata?.namespace ?? '',
    name: ro.metadata?.name ?? '',
    phase,
    message,
    revision: Number.isInteger(annotated) && annotated > 0 ? annotated : (currentRs?.revision ?? null),
    stableImage:
      stable?.images[0] ?? (st?.stableRS && st.stableRS === st.currentPodHash ? templateImage : null),
    canaryImage: inProgress ? (canary?.images[0] ?? templateImage) : null,
    step: idx === undefined ? null : { index: idx, total: steps.length },
    steps: stepViews(ro),
    setWeight: currentSetWeight(ro),
    actualWeight: actualWeightOf(ro, ctx.virtualService),
    pause: pauseOf(ro),
    paused: isPaused(ro),
    aborted,
    abortedAt: aborted ? (st?.abortedAt ?? null) : null,
    analysisRuns: analysisRunViews(ro, ctx.analysisRuns),
    revisions,
    pods: { total: pods.length, ready: pods.filter(podReady).length },
    load: loadJob ? loadProgress(loadJob, ctx.now) : null,
    needsAttention: phase === 'Paused' || phase === 'Degraded' || aborted,
    allowedActions: allowedActions(ro, {
      otherRevisions: revisions.filter((r) => r.podHash !== st?.currentPodHash).length,
    }),
    createdAt: ro.metadata?.creationTimestamp ?? null,
    resourceVersion: ro.metadata?.resourceVersion ?? null,
  };
}

/** The overview row of a rollout. */
export function rolloutSummary(ro: Rollout, ctx: RolloutContext): RolloutSummary {
  const v = rolloutView(ro, ctx);
  return {
    namespace: v.namespace,
    name: v.name,
    phase: v.phase,
    message: v.message,
    revision: v.revision,
    stableImage: v.stableImage,
    canaryImage: v.canaryImage,
    step: v.step,
    setWeight: v.setWeight,
    actualWeight: v.actualWeight,
    paused: v.paused,
    aborted: v.aborted,
    needsAttention: v.needsAttention,
    createdAt: v.createdAt,
    analysisPhase: v.analysisRuns[0]?.phase ?? null,
  };
}
