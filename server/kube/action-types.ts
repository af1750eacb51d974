import 'server-only';

/** Where a patch went: the Rollout's `/status` subresource, the Rollout itself (`main`), or another object. */
export type PatchTarget =
  | '/status'
  | 'main'
  | `configmap/${string}`
  | `virtualservice/${string}`
  | `job/${string}`;

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

/** A refusal with an HTTP status (404 missing, 409 makes no sense now, 422 bad input). */
export class ActionError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export const conflict = (message: string): ActionError => new ActionError(409, 'conflict', message);

export function actionResult(result: unknown, patches: SentPatch[]): ActionResult {
  const first = patches[0];
  return { result, patch: first?.patch ?? null, target: first?.target ?? 'main', patches };
}
