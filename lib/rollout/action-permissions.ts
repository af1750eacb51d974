import { ACTION_NAMES, ACTIONS, type ActionName } from '../actions/catalogue';
import type { ApiPermission } from '../actions/permissions';

export type { ApiPermission };

/** What each action needs from the Kubernetes API, from the action catalogue (server/actions sends exactly these). */
export const ACTION_PERMISSIONS = Object.fromEntries(
  ACTION_NAMES.map((n) => [n, ACTIONS[n].permissions]),
) as Record<ActionName, readonly ApiPermission[]>;

/** A stable key of one permission in one namespace (for caches and lookups). */
export const permissionKey = (p: ApiPermission, namespace: string): string =>
  [namespace, p.verb, p.group, p.resource, p.subresource ?? '', p.name ?? ''].join('|');

/** Why the control center's identity may not run an action: the first request the API server would refuse. */
export function tokenReason(
  action: ActionName,
  namespace: string,
  allowed: (p: ApiPermission) => boolean | undefined,
): string | null {
  for (const p of ACTION_PERMISSIONS[action]) {
    // Unknown (the review failed): the API server still decides when the action runs.
    if (allowed(p) !== false) continue;
    const what = `${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.name ? ` ${p.name}` : ''}`;
    return `the control center's service account may not ${p.verb} ${what} in ${namespace}`;
  }
  return null;
}
