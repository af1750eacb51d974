import 'server-only';
import type { PatchTarget } from '@/lib/actions/kube-request';

export type { PatchTarget };

/** One request that changed something, as the answer and the audit show it. */
export interface SentPatch {
  target: PatchTarget;
  method: 'PATCH' | 'PUT' | 'POST' | 'DELETE';
  /** merge | json (RFC 6902) for PATCH; the whole object for PUT/POST. */
  type?: 'merge' | 'json';
  patch: unknown;
}

/** What every action answers: the object as the API server returned it, and exactly what was sent. */
export interface ActionResult {
  result: unknown;
  /** The main patch (the first one sent, or the body of a PUT/POST/DELETE). */
  patch: unknown;
  target: PatchTarget;
  /** Every request that changed something, in order (promote may send a status patch and then a spec patch). */
  patches: SentPatch[];
}

export function actionResult(result: unknown, patches: SentPatch[]): ActionResult {
  const first = patches[0];
  return { result, patch: first?.patch ?? null, target: first?.target ?? 'main', patches };
}
