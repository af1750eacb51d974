import type { Observed } from './decide-types';
import { virtualServiceProblem } from './traffic';

/** Argo's referenced-resource validation: the field error (without the "The Rollout is invalid" prefix), if any. */
export function invalidSpec(obs: Observed): string | undefined {
  const canary = obs.rollout.spec.strategy?.canary;
  if (!canary) return 'spec.strategy.canary: Required value: the lab runs the canary strategy only';
  const istio = canary.trafficRouting?.istio;
  for (const [field, name] of [
    ['canaryService', canary.canaryService],
    ['stableService', canary.stableService],
  ] as const) {
    if (istio && !name)
      return `spec.strategy.canary.${field}: Required value: traffic routing needs a ${field}`;
    if (name && !obs.services.some((s) => s.metadata.name === name))
      return `spec.strategy.canary.${field}: Invalid value: "${name}": services "${name}" not found`;
  }
  const vsRef = istio?.virtualService;
  if (istio && !vsRef?.name)
    return 'spec.strategy.canary.trafficRouting.istio.virtualService.name: Required value';
  if (vsRef?.name) {
    const field = 'spec.strategy.canary.trafficRouting.istio.virtualService';
    if (!obs.virtualService)
      return `${field}.name: Invalid value: "${vsRef.name}": virtualservices.networking.istio.io "${vsRef.name}" not found`;
    const p = virtualServiceProblem(obs.virtualService, {
      routes: vsRef.routes,
      canaryService: canary.canaryService ?? '',
      stableService: canary.stableService ?? '',
    });
    if (p) return `${field}.routes: Invalid value: ${JSON.stringify(vsRef.routes ?? [])}: ${p}`;
  }
  for (const [i, s] of (canary.steps ?? []).entries()) {
    if (s.setWeight !== undefined && (s.setWeight < 0 || s.setWeight > 100))
      return `spec.strategy.canary.steps[${i}].setWeight: Invalid value: ${s.setWeight}: must be between 0 and 100`;
  }
  return undefined;
}
