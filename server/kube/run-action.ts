import 'server-only';
import type { ActionRequest } from '@/lib/schemas/actions';
import type { ActionResult } from './action-types';
import type { KubeClients } from './client';
import { faults } from './fault-actions';
import { load } from './load-actions';
import { abort, promote, promoteFull, restart, retry, setPaused } from './rollout-actions';
import { launch, undo } from './rollout-launch';

/** Runs one action (DESIGN.md §4) against the cluster. Throws ActionError for refusals, client-node errors else. */
export function runAction(
  c: KubeClients,
  namespace: string,
  name: string,
  req: ActionRequest,
): Promise<ActionResult> {
  switch (req.action) {
    case 'promote':
      return promote(c, namespace, name);
    case 'promote-full':
      return promoteFull(c, namespace, name);
    case 'abort':
      return abort(c, namespace, name);
    case 'retry':
      return retry(c, namespace, name);
    case 'restart':
      return restart(c, namespace, name);
    case 'pause':
      return setPaused(c, namespace, name, true);
    case 'resume':
      return setPaused(c, namespace, name, false);
    case 'launch':
      return launch(c, namespace, name, req.body.image);
    case 'undo':
      return undo(c, namespace, name, req.body.revision);
    case 'faults':
      return faults(c, namespace, name, req.body);
    case 'load':
      return load(c, namespace, name, req.body);
  }
}
