import 'server-only';
import { ACTIONS } from '@/lib/actions/catalogue';
import { planOf } from '@/lib/actions/plans';
import { conflict } from '@/lib/actions/refusal';
import type { ActionRequest } from '@/lib/schemas/actions';
import { type KubeClients, kubeErrorStatus } from '../kube/client';
import type { ActionResult } from './action-types';
import { applyPlan } from './apply';
import { getRollout, observe } from './observe';

const ATTEMPTS = 5;

/**
 * Runs one action (DESIGN.md §4) from the catalogue: read the rollout (and what the plan needs), refuse what the
 * entry does not allow now, plan (pure), send the plan. A 409 from an action that retries on conflict starts over
 * from fresh reads, up to 5 attempts. Throws ActionRefusal for refusals, client-node errors else.
 */
export async function runAction(
  c: KubeClients,
  namespace: string,
  name: string,
  req: ActionRequest,
  now: () => Date = () => new Date(),
): Promise<ActionResult> {
  const entry = ACTIONS[req.action];
  const plan = planOf(req);
  for (let attempt = 1; ; attempt++) {
    const rollout = await getRollout(c, namespace, name);
    if (entry.guard === 'refuse') {
      const check = entry.allowed(rollout, { otherRevisions: 0 });
      if (!check.ok) throw conflict(`cannot ${req.action}: ${check.reason}`);
    }
    const observed = await observe(c, rollout, plan.reads, req.body);
    const requests = plan.plan({ ...observed, rollout, now: now() });
    try {
      return await applyPlan(c, namespace, requests);
    } catch (err) {
      if (!plan.retryOnConflict || kubeErrorStatus(err) !== 409 || attempt >= ATTEMPTS) throw err;
    }
  }
}
