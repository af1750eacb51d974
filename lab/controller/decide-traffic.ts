import type { Ctx } from './decide-types';
import { event } from './decide-types';
import { available } from './replicasets';
import { currentCanaryWeight } from './traffic';
import { HASH_LABEL, type ReplicaSet } from './types';

function selectorHash(ctx: Ctx, name: string | undefined): string | undefined {
  return ctx.obs.services.find((s) => s.metadata.name === name)?.spec?.selector?.[HASH_LABEL];
}

/**
 * Points a Service at a ReplicaSet's hash. Like Argo's ensureSVCTargets, a Service is only moved to a ReplicaSet that
 * has available pods (unless nothing else serves yet), so traffic never goes to a version with no ready pod.
 * Returns the hash the Service selects after this pass.
 */
export function ensureService(
  ctx: Ctx,
  name: string | undefined,
  rs: ReplicaSet,
  hash: string,
): string | undefined {
  if (!name) return undefined;
  const cur = selectorHash(ctx, name);
  if (cur === hash) return cur;
  if (cur !== undefined && available(rs) === 0) return cur;
  ctx.actions.push({ type: 'setServiceSelector', service: name, hash });
  return hash;
}

/** Sets the canary weight on the VirtualService when it differs; records canary.weights. */
export function ensureWeight(
  ctx: Ctx,
  weight: number,
  canarySelects: string | undefined,
  stableSelects: string | undefined,
): void {
  const vsName = ctx.canary.trafficRouting?.istio?.virtualService?.name;
  const canaryService = ctx.canary.canaryService ?? '';
  const stableService = ctx.canary.stableService ?? '';
  const routes = ctx.canary.trafficRouting?.istio?.virtualService?.routes;
  if (vsName) {
    const from = currentCanaryWeight(ctx.obs.virtualService, { routes, canaryService, stableService });
    if (from !== weight) {
      ctx.actions.push({
        type: 'setWeights',
        virtualService: vsName,
        routes,
        canaryService,
        stableService,
        weight,
      });
      event(ctx, 'Normal', 'TrafficWeightUpdated', `Traffic weight updated from ${from} to ${weight}`);
    }
  }
  ctx.st.canary = {
    ...ctx.st.canary,
    weights: {
      canary: { weight, serviceName: canaryService, podTemplateHash: canarySelects ?? ctx.hash },
      stable: {
        weight: 100 - weight,
        serviceName: stableService,
        podTemplateHash: stableSelects ?? ctx.st.stableRS ?? ctx.hash,
      },
      verified: true,
    },
  };
}
