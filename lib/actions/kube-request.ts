/** The objects an action writes (all namespaced: the rollout's namespace). */
export type ResourceKind = 'Rollout' | 'ConfigMap' | 'VirtualService' | 'Job';

export interface ResourceRef {
  kind: ResourceKind;
  name: string;
  /** `status`: the Rollout's status subresource. */
  subresource?: 'status';
}

/**
 * One Kubernetes API request a plan asks for. A patch of the status subresource may carry `fallback`: the body sent
 * to the main resource instead when the server has no status subresource (404), after which the plan ends (the
 * unified patch covers the rest), as kubectl-argo-rollouts does.
 */
export type KubeRequest =
  | {
      verb: 'patch';
      resource: ResourceRef;
      type: 'merge' | 'json';
      body: unknown;
      fallback?: unknown;
      /** What the audit and the answer show as the change (default: `body`). */
      shown?: unknown;
    }
  /** PUT of the whole object; `shown` is what the audit and the answer show as the change. */
  | { verb: 'update'; resource: ResourceRef; body: object; shown: unknown }
  | { verb: 'create'; resource: ResourceRef; body: object; shown: unknown }
  /** `current`: the object as read before, the answer's result. */
  | { verb: 'delete'; resource: ResourceRef; propagationPolicy: 'Background'; current: unknown }
  /** Nothing to send: the object already is as asked (`current`); recorded as the change `shown`. */
  | { verb: 'none'; resource: ResourceRef; type: 'merge' | 'json'; current: unknown; shown: unknown };

/** Where a request went, as the API answer and the audit name it: `/status`, `main` or `<kind>/<name>`. */
export type PatchTarget =
  | '/status'
  | 'main'
  | `configmap/${string}`
  | `virtualservice/${string}`
  | `job/${string}`;

export function targetOf(r: ResourceRef): PatchTarget {
  switch (r.kind) {
    case 'Rollout':
      return r.subresource === 'status' ? '/status' : 'main';
    case 'ConfigMap':
      return `configmap/${r.name}`;
    case 'VirtualService':
      return `virtualservice/${r.name}`;
    case 'Job':
      return `job/${r.name}`;
  }
}
