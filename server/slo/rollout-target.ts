import 'server-only';
import { type RolloutObject, rolloutSchema } from '@/lib/rollout/rollout-schema';
import type { AttemptPhases } from '@/lib/slo';
import { ApiError } from '../http/api-error';
import { runtime } from '../runtime/current';
import {
  type AttributionBasis,
  attribute,
  type CanaryStepSpec,
  REVISION_ANNOTATION,
  type RunRecord,
  runRecordOf,
  runsOfRelease,
  setWeightAt,
  type WeightChange,
  weightChangesOf,
} from './attribution';
import { listRelease, readRelease } from './release-reads';

/**
 * What the judge needs to know about a rollout: its services, the canary's hash, and where this canary's own evidence
 * lies in time (server/slo/attribution.ts: read from the Rollout, its ReplicaSet and AnalysisRuns, never from the
 * ReplicaSet's age).
 */
export interface CanaryTarget {
  namespace: string;
  rollout: string | null;
  canaryService: string;
  stableService: string;
  canaryHash: string | null;
  stableHash: string | null;
  /** Unix s: start of the rollback evidence = the first attempt of this pod-template hash at this revision. */
  since: number;
  /** Attempt number (1-based), start of the current attempt, and every step start of every attempt of this hash+revision. */
  attempt: AttemptPhases;
  /** Current canary weight in percent (from status.canary.weights or the last setWeight reached), and the step index. */
  weight: number | null;
  stepIndex: number | null;
  /** The canary's `rollout.argoproj.io/revision`. */
  revision?: string | null;
  /** Where the times come from: step AnalysisRuns, the background AnalysisRun (+ Events), or none yet. */
  basis?: AttributionBasis;
  /** Where the canary's ReplicaSets and AnalysisRuns were read: the informer cache or the API server. */
  reads?: 'cache' | 'api';
}

/** A canary that cannot be judged (yet): an API error with its status. */
export class TargetError extends ApiError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message);
    this.name = 'TargetError';
  }
}

export async function readRollout(namespace: string, name: string, context?: string): Promise<RolloutObject> {
  const raw: unknown = await runtime().context(context).clients.custom.getNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'rollouts',
    name,
  });
  const parsed = rolloutSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TargetError(
      502,
      'bad_rollout',
      `rollout ${namespace}/${name} has an unexpected shape at ${issue?.path.join('.')}`,
    );
  }
  return parsed.data;
}

type Loose = Record<string, unknown> | undefined;
const obj = (v: unknown): Loose =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Argo's own record of the weight (traffic routing), else the last setWeight reached (0 while aborted). */
export function currentWeight(ro: RolloutObject, steps: readonly CanaryStepSpec[]): number | null {
  const w = obj(obj(obj(obj(ro.status)?.canary)?.weights)?.canary)?.weight;
  if (typeof w === 'number' && Number.isFinite(w)) return w;
  if (ro.status?.abort) return 0;
  const idx = ro.status?.currentStepIndex;
  if (steps.length === 0) return idx === undefined ? null : 100;
  return idx === undefined ? null : setWeightAt(steps, idx);
}

type ReplicaSetLike = { metadata?: { annotations?: Record<string, string>; ownerReferences?: OwnerRef[] } };
type OwnerRef = { kind?: string; name?: string; uid?: string };

const ownedReplicaSet = (items: readonly unknown[], ro: RolloutObject): ReplicaSetLike | undefined =>
  (items as ReplicaSetLike[]).find((r) => ownedBy(r.metadata?.ownerReferences, ro));

const ownedBy = (
  refs: Array<{ kind?: string; name?: string; uid?: string }> | undefined,
  ro: RolloutObject,
): boolean =>
  (refs ?? []).some(
    (o) =>
      o.kind === 'Rollout' &&
      (ro.metadata.uid && o.uid ? o.uid === ro.metadata.uid : o.name === ro.metadata.name),
  );

/**
 * Resolves the canary of a rollout and attributes its evidence in time: 409 when none is in progress (nothing to
 * judge) or its ReplicaSet is not there yet. `now` (unix s) is used only for a step whose evidence has not started.
 */
export async function canaryTargetOf(
  ro: RolloutObject,
  context?: string,
  now = Math.floor(Date.now() / 1000),
): Promise<CanaryTarget> {
  const { namespace, name } = ro.metadata;
  const canary = ro.spec.strategy?.canary;
  if (!canary?.canaryService || !canary.stableService) {
    throw new TargetError(
      409,
      'no_services',
      `rollout ${namespace}/${name} has no canaryService/stableService to judge`,
    );
  }
  const hash = ro.status?.currentPodHash ?? null;
  const stable = ro.status?.stableRS ?? null;
  if (!hash || hash === stable) {
    throw new TargetError(409, 'no_canary', `rollout ${namespace}/${name} has no canary in progress`);
  }
  let release = await readRelease(ro, hash, context);
  let rs = ownedReplicaSet(release.replicaSets, ro);
  if (!rs && release.source === 'cache') {
    release = await listRelease(ro, hash, context);
    rs = ownedReplicaSet(release.replicaSets, ro);
  }
  if (!rs)
    throw new TargetError(409, 'no_canary', `the canary ReplicaSet of ${namespace}/${name} is not there yet`);
  // The ReplicaSet carries the revision first (Argo copies it to the Rollout on its next pass; the lab sets only it).
  const revision =
    str(rs.metadata?.annotations?.[REVISION_ANNOTATION]) ??
    str(obj(obj(ro.metadata)?.annotations)?.[REVISION_ANNOTATION]);
  if (!revision)
    throw new TargetError(
      409,
      'no_revision',
      `the canary ReplicaSet of ${namespace}/${name} has no ${REVISION_ANNOTATION} annotation yet`,
    );
  const runs = release.runs.map(runRecordOf).filter((r): r is RunRecord => r !== null);
  const steps = (canary.steps ?? []) as CanaryStepSpec[];
  const rollout = { name, uid: ro.metadata.uid };
  const ofRelease = runsOfRelease({ rollout, hash, revision, runs });
  let weightChanges: WeightChange[] | undefined;
  if (!ofRelease.some((r) => r.type === 'Step') && ofRelease.some((r) => r.type === 'Background'))
    weightChanges = await weightEvents(namespace, rollout, context);
  const weight = currentWeight(ro, steps);
  const stepIndex = ro.status?.currentStepIndex ?? null;
  const a = attribute({
    rollout,
    hash,
    revision,
    runs,
    steps,
    weight,
    aborted: ro.status?.abort === true,
    stepIndex,
    now,
    weightChanges,
  });
  return {
    namespace,
    rollout: name,
    canaryService: canary.canaryService,
    stableService: canary.stableService,
    canaryHash: hash,
    stableHash: stable,
    since: a.since,
    attempt: a.attempt,
    weight,
    stepIndex,
    revision,
    basis: a.basis,
    reads: release.source,
  };
}

/** The Rollout's TrafficWeightUpdated Events (background analysis only); none when Events cannot be listed. */
async function weightEvents(
  namespace: string,
  rollout: { name: string; uid?: string },
  context?: string,
): Promise<WeightChange[]> {
  try {
    const list = await runtime()
      .context(context)
      .clients.core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.kind=Rollout,involvedObject.name=${rollout.name}`,
      });
    return weightChangesOf(list.items, rollout);
  } catch {
    return [];
  }
}
