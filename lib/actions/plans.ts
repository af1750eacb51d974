import type { z } from 'zod';
import type { ActionRequest, actionBodySchemas } from '../schemas/actions';
import type { ActionName } from './catalogue';
import type { KubeRequest } from './kube-request';
import { planFaults } from './plan-faults';
import type { ObservedKey, PlanInput } from './plan-input';
import { planLoad } from './plan-load';
import {
  planAbort,
  planLaunch,
  planPause,
  planPromote,
  planPromoteFull,
  planRestart,
  planResume,
  planRetry,
  planUndo,
} from './plan-rollout';

/** The validated body of action N (its schema's output). */
type BodyOf<N extends ActionName> = z.output<(typeof actionBodySchemas)[N]>;

/** The pure half of an action: what to read besides the rollout, and the exact Kubernetes requests to send. */
export interface ActionPlan<N extends ActionName> {
  reads: (body: BodyOf<N>) => readonly ObservedKey[];
  plan: (input: PlanInput<BodyOf<N>>) => KubeRequest[];
  /** On 409 (someone wrote in between) read again and plan again, up to 5 attempts (kubectl's set image does). */
  retryOnConflict: boolean;
}

const nothing = (): readonly ObservedKey[] => [];
const simple = <N extends ActionName>(plan: ActionPlan<N>['plan']): ActionPlan<N> => ({
  reads: nothing,
  plan,
  retryOnConflict: false,
});

/** Every action's plan, keyed as the catalogue. */
export const PLANS: { [N in ActionName]: ActionPlan<N> } = {
  launch: { reads: nothing, plan: planLaunch, retryOnConflict: true },
  promote: simple(planPromote),
  'promote-full': simple(planPromoteFull),
  abort: simple(planAbort),
  retry: simple(planRetry),
  restart: simple(planRestart),
  pause: simple(planPause),
  resume: simple(planResume),
  undo: { reads: () => ['replicaSets'], plan: planUndo, retryOnConflict: false },
  faults: {
    reads: (b) => (b.scope === 'canary' ? ['faultsConfigMap'] : ['virtualService']),
    plan: planFaults,
    retryOnConflict: true,
  },
  load: {
    reads: (b) => (b.stop ? ['loadJobs'] : ['loadJobs', 'loadTarget']),
    plan: planLoad,
    retryOnConflict: false,
  },
};

/** The plan of one validated request (the union resolved to its action). */
export function planOf(req: ActionRequest): {
  reads: readonly ObservedKey[];
  plan: (input: Omit<PlanInput<unknown>, 'body'>) => KubeRequest[];
  retryOnConflict: boolean;
} {
  const p = PLANS[req.action] as unknown as ActionPlan<ActionName>;
  const body = req.body as never;
  return {
    reads: p.reads(body),
    plan: (input) => p.plan({ ...input, body }),
    retryOnConflict: p.retryOnConflict,
  };
}
