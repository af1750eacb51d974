import { invalid } from '../store/status-error';
import type { KubeObject, ResourceType } from '../store/types';
import type { RoleRef } from './types';

const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);

/**
 * A binding's roleRef never changes (rbac validation ValidateRoleBindingUpdate): an update that changes it is refused
 * with 422, as the API server does; delete and recreate the binding instead.
 */
export function checkRoleRefUnchanged(rt: ResourceType, current: KubeObject, next: KubeObject): void {
  if (!BINDINGS.has(rt.kind)) return;
  const was = (current.roleRef ?? {}) as Partial<RoleRef>;
  const now = (next.roleRef ?? {}) as Partial<RoleRef>;
  if (was.apiGroup === now.apiGroup && was.kind === now.kind && was.name === now.name) return;
  throw invalid(`${rt.kind}.${rt.group}`, next.metadata.name ?? '', [
    {
      field: 'roleRef',
      message: `Invalid value: rbac.RoleRef{APIGroup:${JSON.stringify(now.apiGroup ?? '')}, Kind:${JSON.stringify(now.kind ?? '')}, Name:${JSON.stringify(now.name ?? '')}}: cannot change roleRef`,
    },
  ]);
}
