import { durationMs } from './duration';
import type { Rollout, VirtualService } from './kube-types';
import { canarySteps, currentStepIndex } from './steps';

export const ROLLOUT_PHASES = ['Healthy', 'Progressing', 'Paused', 'Degraded', 'Unknown'] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

export interface PauseView {
  reason: string;
  startedAt: string | null;
  resumesAt?: string;
}

/** The controller's phase and message; a rollout the controller has not observed yet is Progressing (as in Argo). */
export function phaseOf(ro: Rollout): { phase: RolloutPhase; message: string } {
  const st = ro.status;
  const waiting = {
    phase: 'Progressing' as const,
    message: 'waiting for rollout spec update to be observed',
  };
  if (!st?.phase) return waiting;
  const gen = ro.metadata?.generation;
  if (
    gen !== undefined &&
    st.observedGeneration !== undefined &&
    String(st.observedGeneration) !== String(gen)
  )
    return waiting;
  const phase = (ROLLOUT_PHASES as readonly string[]).includes(st.phase)
    ? (st.phase as RolloutPhase)
    : 'Unknown';
  return { phase, message: st.message ?? '' };
}

/** Why the rollout is paused and, for a timed pause step, when it resumes. */
export function pauseOf(ro: Rollout): PauseView | null {
  const cond = (ro.status?.pauseConditions ?? [])[0];
  if (cond) {
    const view: PauseView = { reason: cond.reason ?? 'Paused', startedAt: cond.startTime ?? null };
    const idx = currentStepIndex(ro);
    const step = idx === undefined ? undefined : canarySteps(ro)[idx];
    const ms = durationMs(step?.pause?.duration);
    const start = Date.parse(cond.startTime ?? '');
    if (cond.reason === 'CanaryPauseStep' && ms !== undefined && Number.isFinite(start))
      view.resumesAt = new Date(start + ms).toISOString();
    return view;
  }
  if (ro.spec?.paused) return { reason: 'PausedBySpec', startedAt: null };
  return null;
}

/**
 * The canary weight traffic really gets: the VirtualService route named in the rollout's trafficRouting (the canary
 * service's destination), else status.canary.weights, else null.
 */
export function actualWeightOf(ro: Rollout, vs: VirtualService | undefined): number | null {
  const canary = ro.spec?.strategy?.canary;
  const istio = canary?.trafficRouting?.istio?.virtualService;
  if (vs && istio?.name === vs.metadata?.name && canary?.canaryService) {
    const routes = vs.spec?.http ?? [];
    const wanted = istio?.routes ?? [];
    const route = wanted.length ? routes.find((r) => r.name && wanted.includes(r.name)) : routes[0];
    const dest = route?.route?.find((d) => d.destination?.host === canary.canaryService);
    if (route && dest) return dest.weight ?? 0;
    if (route) return 0;
  }
  const w = ro.status?.canary?.weights?.canary?.weight;
  return typeof w === 'number' ? w : null;
}
