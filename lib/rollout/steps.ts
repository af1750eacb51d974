import { durationLabel } from './duration';
import type { CanaryStep, Rollout } from './kube-types';

export type StepState = 'done' | 'current' | 'pending';
export interface StepView {
  index: number;
  label: string;
  state: StepState;
}

/** A canary step as people read it: "setWeight 30", "pause 60s", "pause (until promoted)", "analysis webapp-slo". */
export function stepLabel(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}`;
  if (step.pause !== undefined) {
    const d = step.pause?.duration;
    return d === undefined || d === '' ? 'pause (until promoted)' : `pause ${durationLabel(d)}`;
  }
  if (step.analysis !== undefined) {
    const names = (step.analysis?.templates ?? []).map((t) => t.templateName).filter(Boolean);
    return names.length ? `analysis ${names.join(', ')}` : 'analysis';
  }
  if (step.experiment !== undefined) return 'experiment';
  if (step.setCanaryScale !== undefined) {
    const s = step.setCanaryScale;
    if (s?.replicas !== undefined) return `setCanaryScale ${s.replicas} replicas`;
    if (s?.weight !== undefined) return `setCanaryScale ${s.weight}%`;
    return 'setCanaryScale matchTrafficWeight';
  }
  if (step.setHeaderRoute !== undefined) return `setHeaderRoute ${step.setHeaderRoute?.name ?? ''}`.trim();
  if (step.setMirrorRoute !== undefined) return `setMirrorRoute ${step.setMirrorRoute?.name ?? ''}`.trim();
  return Object.keys(step)[0] ?? 'unknown';
}

export const canarySteps = (ro: Rollout): CanaryStep[] => ro.spec?.strategy?.canary?.steps ?? [];

/** The step index the controller works on (Argo's GetCurrentCanaryStep): undefined when there are no steps. */
export function currentStepIndex(ro: Rollout): number | undefined {
  const steps = canarySteps(ro);
  if (!steps.length) return undefined;
  return Math.min(Math.max(ro.status?.currentStepIndex ?? 0, 0), steps.length);
}

/** Every step with whether it is done, current or pending. */
export function stepViews(ro: Rollout): StepView[] {
  const idx = currentStepIndex(ro) ?? 0;
  return canarySteps(ro).map((s, i) => ({
    index: i,
    label: stepLabel(s),
    state: i < idx ? 'done' : i === idx ? 'current' : 'pending',
  }));
}

/** The weight the steps ask for now (Argo's GetCurrentSetWeight): 0 when aborted, 100 past the last step. */
export function currentSetWeight(ro: Rollout): number {
  if (ro.status?.abort) return 0;
  const steps = canarySteps(ro);
  const idx = currentStepIndex(ro);
  if (idx === undefined || idx >= steps.length) return 100;
  for (let i = idx; i >= 0; i--) {
    const w = steps[i]?.setWeight;
    if (w !== undefined) return w;
  }
  return 0;
}
