/**
 * Which traffic belongs to this canary attempt: the judge's time attribution, read only from what the Kubernetes API
 * keeps (the Rollout, its AnalysisRuns, and for a background analysis its Events), so that it is the same against
 * real Argo Rollouts (v1.9.1) and the lab. Pure; server/slo/rollout-target.ts does the reads.
 *
 * What Argo records (rollout/analysis.go, utils/analysis/factory.go, utils/analysis/helpers.go at v1.9.1):
 * - A step AnalysisRun is named `<rollout>-<hash>-<revision>-<stepIndex>`, a background one `<rollout>-<hash>-<revision>`;
 *   a second run under the same name (a retry after an abort, or a new run after an Inconclusive one was promoted)
 *   gets `.1`, `.2`, … (CreateWithCollisionCounter).
 * - Labels `rollouts-pod-template-hash`, `rollout-type: Step|Background`, `step-index` (steps), the Rollout's selector;
 *   annotation `rollout.argoproj.io/revision` (the Rollout's revision when the run was created); a controller owner
 *   reference to the Rollout (uid).
 * - The revision (rollout/sync.go, utils/annotations): a new template, or a return to an older one (undo, relaunch),
 *   gets max(revision)+1 and its reused ReplicaSet is re-annotated; a retry after an abort keeps the revision. So one
 *   hash+revision is one release, and its attempts are separated by aborts.
 * - Order within one reconcile (rollout/canary.go rolloutCanary): services, then traffic (the weight of the current
 *   step), then analysis runs, then the step index moves on. A setWeight step completes once the weight is set (and
 *   verified), and the following analysis step's run is created on a later pass. So a step run's creation comes
 *   after the weight of that step was written: it is the step's start, late by one reconcile (plus any pause step
 *   between the setWeight and the analysis), never early. That lag only drops evidence (conservative); it never lets
 *   another step's, attempt's or revision's traffic in. Nothing else in the API records when a weight was set:
 *   `status.canary.weights` has no time, and `TrafficWeightUpdated` Events expire (1 h by default), are aggregated
 *   across attempts (same message: only the newest time survives) and name neither hash nor revision.
 * - An abort (manual, or a Failed/Error run) terminates the running runs (`spec.terminate`, phase Successful "Run
 *   Terminated" or Failed) and sets the step index back to 0; a retry walks the steps again and creates new runs.
 *   Promoting past a running analysis also terminates it, but the index then moves forward.
 *
 * Attempts of one hash+revision, from its step runs ordered by creation: a run starts a new attempt when the run
 * before it ended Failed or Error (Argo aborts on those), or when its step index does not move forward (it only goes
 * back through an abort) unless the run before it is an Inconclusive run of the same step (a human promoted it and
 * Argo runs that step again: same attempt, same weight). Limits: an Inconclusive run at the first analysis step,
 * then abort and retry, counts as the same attempt (its promote evidence continues; nothing from another revision or
 * weight comes in). creationTimestamp has 1 s resolution and may be skewed between API servers: runs of one step
 * keep their collision-counter order, a step going back within SKEW_SECONDS of the run before it only starts an
 * attempt when that run shows the abort (Failed/Error/terminated), and starts are made non-decreasing.
 *
 * Steps: within an attempt, consecutive analysis steps at the same canary weight are one step (the weight did not
 * change); the step start is the creation of the first run at that weight.
 *
 * Background analysis only (no analysis step): one background run per attempt (a new one after an abort, or after
 * an Inconclusive one was promoted, which is the same attempt). The run is created as soon as the canary is past
 * `startingStep`, possibly before its weight is > 0 (while the weight is 0 the canary Service gets no mesh traffic,
 * so nothing foreign comes in). The current attempt's weight changes come from `TrafficWeightUpdated` Events newer
 * than the run; older attempts keep one step each. With neither kind of run there is no attributable evidence yet:
 * the attempt starts `now`.
 */
import type { AttemptPhases } from '@/lib/slo';

export const HASH_LABEL = 'rollouts-pod-template-hash';
export const RUN_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';

/** Runs whose creation times are this close may be out of order (1 s timestamps, API server clocks). */
export const SKEW_SECONDS = 1;

/** What attribution needs of one AnalysisRun. */
export interface RunRecord {
  name: string;
  /** Unix seconds (creationTimestamp). */
  created: number;
  hash: string | undefined;
  revision: string | undefined;
  type: string | undefined;
  stepIndex: number | null;
  /** The controller owner reference. */
  owner: { kind?: string; name?: string; uid?: string } | undefined;
  phase: string | undefined;
  /** spec.terminate: stopped by an abort, a promotion past it, or a new revision. */
  terminated: boolean;
}

/** A `TrafficWeightUpdated` Event of the Rollout: its newest time and the weight it set. */
export interface WeightChange {
  at: number;
  /** The weight before; null when Argo's message has none (the first weight it recorded). */
  from: number | null;
  to: number;
}

export type CanaryStepSpec = Readonly<Record<string, unknown>>;

export interface AttributionInput {
  rollout: { name: string; uid?: string };
  hash: string;
  revision: string;
  runs: readonly RunRecord[];
  steps: readonly CanaryStepSpec[];
  /** Current canary weight (percent), for the background fallback and for a step that has no run yet. */
  weight: number | null;
  /** status.abort: while aborted the last attempt is the current one. */
  aborted: boolean;
  /** status.currentStepIndex. */
  stepIndex: number | null;
  now: number;
  /** Background fallback only. */
  weightChanges?: readonly WeightChange[];
}

export type AttributionBasis = 'step-analysis' | 'background-analysis' | 'none';

export interface Attribution {
  /** Unix s: start of the rollback evidence (the first attempt of this hash at this revision). */
  since: number;
  attempt: AttemptPhases;
  basis: AttributionBasis;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Argo's GetCurrentSetWeight for a step index: the last setWeight at or before it (100 past the last step). */
export function setWeightAt(steps: readonly CanaryStepSpec[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = Math.max(0, index); i >= 0; i--) {
    const w = num(steps[i]?.setWeight);
    if (w !== undefined) return w;
  }
  return 0;
}

export const analysisStepCount = (steps: readonly CanaryStepSpec[]): number =>
  steps.filter((s) => s.analysis !== undefined && s.analysis !== null).length;

export const setWeightStepCount = (steps: readonly CanaryStepSpec[]): number =>
  steps.filter((s) => num(s.setWeight) !== undefined).length;

/** Argo's collision counter: `name.N` → N, otherwise 0. */
export function collisionCounter(name: string): number {
  const m = name.match(/\.([1-9]\d*)$/);
  return m ? Number(m[1]) : 0;
}

/** Unix seconds of an API time: a string from raw JSON, or a Date from client-node's typed models. */
const time = (v: unknown): number | undefined => {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
};

/** Reads one AnalysisRun object from the API; null when it has no creation time or name. */
export function runRecordOf(raw: unknown): RunRecord | null {
  const r = raw as {
    metadata?: {
      name?: string;
      creationTimestamp?: string | Date;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
    };
    spec?: { terminate?: boolean };
    status?: { phase?: string };
  };
  const created = time(r?.metadata?.creationTimestamp);
  const name = r?.metadata?.name;
  if (created === undefined || !name) return null;
  const labels = r.metadata?.labels ?? {};
  const idx = labels[STEP_INDEX_LABEL];
  const refs = r.metadata?.ownerReferences ?? [];
  const owner = refs.find((o) => o.controller) ?? refs.find((o) => o.kind === 'Rollout');
  return {
    name,
    created,
    hash: labels[HASH_LABEL],
    revision: r.metadata?.annotations?.[REVISION_ANNOTATION],
    type: labels[RUN_TYPE_LABEL],
    stepIndex: idx !== undefined && /^\d+$/.test(idx) ? Number(idx) : null,
    owner: owner ? { kind: owner.kind, name: owner.name, uid: owner.uid } : undefined,
    phase: r.status?.phase,
    terminated: r.spec?.terminate === true,
  };
}

/** Reads `TrafficWeightUpdated` Events ("Traffic weight updated [from X ]to Y[, …]") of the Rollout. */
export function weightChangesOf(
  events: readonly unknown[],
  rollout: { name: string; uid?: string },
): WeightChange[] {
  const out: WeightChange[] = [];
  for (const raw of events) {
    const e = raw as {
      reason?: string;
      message?: string;
      involvedObject?: { kind?: string; name?: string; uid?: string };
      lastTimestamp?: string | Date;
      eventTime?: string | Date;
      firstTimestamp?: string | Date;
      series?: { lastObservedTime?: string | Date };
      metadata?: { creationTimestamp?: string | Date };
    };
    if (e?.reason !== 'TrafficWeightUpdated') continue;
    const io = e.involvedObject;
    if (io?.kind !== 'Rollout' || io.name !== rollout.name) continue;
    if (rollout.uid && io.uid && io.uid !== rollout.uid) continue;
    const m = e.message?.match(/Traffic weight updated (?:from (\d+) )?to (\d+)/);
    const at =
      time(e.series?.lastObservedTime) ??
      time(e.lastTimestamp) ??
      time(e.eventTime) ??
      time(e.firstTimestamp) ??
      time(e.metadata?.creationTimestamp);
    if (m && at !== undefined)
      out.push({ at, from: m[1] === undefined ? null : Number(m[1]), to: Number(m[2]) });
  }
  return out.sort((a, b) => a.at - b.at);
}

const isAbortEvidence = (r: RunRecord): boolean =>
  r.phase === 'Failed' || r.phase === 'Error' || r.terminated;
const endedFailing = (r: RunRecord): boolean => r.phase === 'Failed' || r.phase === 'Error';
const inconclusiveRerunable = (r: RunRecord): boolean => r.phase === 'Inconclusive' && !r.terminated;

/** The runs of this rollout (controller owner uid, else name), hash and revision. */
export function runsOfRelease(
  input: Pick<AttributionInput, 'rollout' | 'hash' | 'revision' | 'runs'>,
): RunRecord[] {
  const { rollout, hash, revision } = input;
  return input.runs.filter((r) => {
    if (r.owner?.kind !== 'Rollout') return false;
    if (rollout.uid && r.owner.uid ? r.owner.uid !== rollout.uid : r.owner.name !== rollout.name)
      return false;
    return r.hash === hash && r.revision === revision;
  });
}

/**
 * Creation order of one release's step runs: by time, ties by collision counter then step index; then runs of one
 * step are put back in collision-counter order (that order is exact whatever the clocks say).
 */
function ordered(runs: RunRecord[]): RunRecord[] {
  const sorted = [...runs].sort(
    (a, b) =>
      a.created - b.created ||
      collisionCounter(a.name) - collisionCounter(b.name) ||
      (a.stepIndex ?? 0) - (b.stepIndex ?? 0),
  );
  const byStep = new Map<number, RunRecord[]>();
  for (const r of sorted) byStep.set(r.stepIndex ?? -1, [...(byStep.get(r.stepIndex ?? -1) ?? []), r]);
  for (const list of byStep.values())
    list.sort((a, b) => collisionCounter(a.name) - collisionCounter(b.name));
  const next = new Map<number, number>();
  return sorted.map((r) => {
    const k = r.stepIndex ?? -1;
    const i = next.get(k) ?? 0;
    next.set(k, i + 1);
    return (byStep.get(k) as RunRecord[])[i] as RunRecord;
  });
}

/** Splits one release's step runs into attempts (see the file comment). */
export function stepAttempts(runs: RunRecord[]): RunRecord[][] {
  const attempts: RunRecord[][] = [];
  let prev: RunRecord | undefined;
  for (const r of ordered(runs)) {
    let boundary = false;
    if (prev) {
      const i = r.stepIndex ?? 0;
      const p = prev.stepIndex ?? 0;
      const back = i < p || (i === p && !inconclusiveRerunable(prev));
      const close = r.created - prev.created <= SKEW_SECONDS;
      boundary = endedFailing(prev) || (back && (!close || isAbortEvidence(prev)));
    }
    if (!prev || boundary) attempts.push([r]);
    else attempts.at(-1)?.push(r);
    prev = r;
  }
  return attempts;
}

/**
 * Whether a retry is walking the steps again without a run yet: not aborted now, and the last attempt ended failing,
 * or the step index went back below its runs (only an abort, or new steps, set it back), or its last run at the
 * current index was terminated (an abort did that; a promotion past it moves the index on).
 */
function retryPending(last: RunRecord[], input: AttributionInput): boolean {
  const tail = last.at(-1);
  if (input.aborted || !tail) return false;
  if (endedFailing(tail)) return true;
  if (input.stepIndex === null) return false;
  const maxIndex = Math.max(...last.map((r) => r.stepIndex ?? 0));
  return input.stepIndex < maxIndex || (input.stepIndex === tail.stepIndex && tail.terminated);
}

/** Time attribution of this hash+revision's canary (see the file comment). */
export function attribute(input: AttributionInput): Attribution {
  const release = runsOfRelease(input);
  const steps = release.filter((r) => r.type === 'Step' && r.stepIndex !== null);
  const analysisSteps = analysisStepCount(input.steps);
  if (steps.length > 0) return fromStepRuns(steps, input, Math.max(1, analysisSteps));
  const background = release.filter((r) => r.type === 'Background');
  const perAttempt = Math.max(1, analysisSteps || setWeightStepCount(input.steps));
  if (background.length > 0) return fromBackgroundRuns(background, input, perAttempt);
  const start = input.now;
  return {
    since: start,
    attempt: { number: 1, start, stepStarts: [{ attempt: 1, start }], stepsPerAttempt: perAttempt },
    basis: 'none',
  };
}

function fromStepRuns(runs: RunRecord[], input: AttributionInput, stepsPerAttempt: number): Attribution {
  const attempts = stepAttempts(runs);
  const stepStarts: { attempt: number; start: number }[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  let lastWeight: number | undefined;
  attempts.forEach((runsOfAttempt, j) => {
    lastWeight = undefined;
    const logical = [...runsOfAttempt].sort(
      (a, b) =>
        (a.stepIndex ?? 0) - (b.stepIndex ?? 0) || collisionCounter(a.name) - collisionCounter(b.name),
    );
    for (const r of logical) {
      floor = Math.max(floor, r.created);
      const w = setWeightAt(input.steps, r.stepIndex ?? 0);
      if (w === lastWeight) continue;
      lastWeight = w;
      stepStarts.push({ attempt: j + 1, start: floor });
    }
  });
  let number = attempts.length;
  const last = attempts.at(-1) ?? [];
  if (retryPending(last, input)) {
    // A retry is walking the steps again and has not reached an analysis: its evidence starts when it does.
    number += 1;
    stepStarts.push({ attempt: number, start: Math.max(floor, input.now) });
  } else if (
    !input.aborted &&
    input.weight !== null &&
    lastWeight !== undefined &&
    input.weight !== lastWeight &&
    input.weight > 0
  ) {
    // The weight moved past the last analysed step and its analysis has not started: fresh evidence starts now.
    stepStarts.push({ attempt: number, start: Math.max(floor, input.now) });
  }
  const first = stepStarts[0] as { start: number };
  const current = stepStarts.filter((s) => s.attempt === number)[0] as { start: number };
  return {
    since: first.start,
    attempt: { number, start: current.start, stepStarts, stepsPerAttempt },
    basis: 'step-analysis',
  };
}

function fromBackgroundRuns(
  runs: RunRecord[],
  input: AttributionInput,
  stepsPerAttempt: number,
): Attribution {
  const sorted = [...runs].sort(
    (a, b) => collisionCounter(a.name) - collisionCounter(b.name) || a.created - b.created,
  );
  const starts: number[] = [];
  let prev: RunRecord | undefined;
  let floor = Number.NEGATIVE_INFINITY;
  for (const r of sorted) {
    floor = Math.max(floor, r.created);
    if (!prev || !inconclusiveRerunable(prev)) starts.push(floor);
    prev = r;
  }
  const stepStarts = starts.map((start, j) => ({ attempt: j + 1, start }));
  let number = starts.length;
  const tail = sorted.at(-1) as RunRecord;
  if (!input.aborted && endedFailing(tail)) {
    number += 1;
    stepStarts.push({ attempt: number, start: Math.max(floor, input.now) });
  } else {
    // The current attempt's weight changes since its run (older ones are overwritten or expired). The run may come
    // before the weight left 0: then the first change from 0 is the attempt's exact start.
    const attemptStart = starts.at(-1) as number;
    let first = true;
    for (const c of input.weightChanges ?? []) {
      if (c.at <= attemptStart || c.at > input.now || c.to <= 0) continue;
      const last = stepStarts.at(-1) as { attempt: number; start: number };
      if (first && (c.from ?? 0) === 0) last.start = Math.max(last.start, c.at);
      else stepStarts.push({ attempt: number, start: Math.max(last.start, c.at) });
      first = false;
    }
  }
  const current = stepStarts.filter((s) => s.attempt === number)[0] as { start: number };
  return {
    since: (stepStarts[0] as { start: number }).start,
    attempt: { number, start: current.start, stepStarts, stepsPerAttempt },
    basis: 'background-analysis',
  };
}
