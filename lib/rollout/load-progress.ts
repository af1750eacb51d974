import type { KubeObject } from './kube-types';

export const LOAD_MANAGED_BY = 'control-center';
export const LOAD_RPS_ANNOTATION = 'control-center.io/load-rps';
export const LOAD_DURATION_ANNOTATION = 'control-center.io/load-duration-seconds';

export interface LoadJob extends KubeObject {
  status?: {
    startTime?: string;
    completionTime?: string;
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: Array<{ type?: string; status?: string }>;
  };
}

export interface LoadProgress {
  job: string;
  rps: number;
  durationSeconds: number;
  state: 'pending' | 'running' | 'succeeded' | 'failed';
  startedAt: string | null;
  elapsedSeconds: number;
  /** 0..1 of the requested duration. */
  fraction: number;
}

const condition = (j: LoadJob, type: string) =>
  (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** How far a load Job is: from its status and startTime and the requested duration in its annotations. */
export function loadProgress(job: LoadJob, now: number): LoadProgress {
  const a = job.metadata?.annotations ?? {};
  const durationSeconds = Number(a[LOAD_DURATION_ANNOTATION]) || 0;
  const startedAt = job.status?.startTime ?? null;
  const started = startedAt ? Date.parse(startedAt) : Number.NaN;
  const state = condition(job, 'Complete')
    ? 'succeeded'
    : condition(job, 'Failed') || (job.status?.failed ?? 0) > 0
      ? 'failed'
      : Number.isFinite(started)
        ? 'running'
        : 'pending';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  const elapsed = Number.isFinite(started) ? Math.max(0, (end - started) / 1000) : 0;
  return {
    job: job.metadata?.name ?? '',
    rps: Number(a[LOAD_RPS_ANNOTATION]) || 0,
    durationSeconds,
    state,
    startedAt,
    elapsedSeconds: Math.round(elapsed * 10) / 10,
    fraction: state === 'succeeded' ? 1 : durationSeconds > 0 ? Math.min(1, elapsed / durationSeconds) : 0,
  };
}

/** Load Jobs the control center started for a rollout (labels managed-by + rollout). */
export const isLoadJobFor = (job: KubeObject, namespace: string, rollout: string): boolean =>
  job.metadata?.namespace === namespace &&
  job.metadata?.labels?.['app.kubernetes.io/managed-by'] === LOAD_MANAGED_BY &&
  job.metadata?.labels?.rollout === rollout;

export const isLoadActive = (job: LoadJob): boolean => {
  const s = loadProgress(job, 0).state;
  return s === 'pending' || s === 'running';
};
