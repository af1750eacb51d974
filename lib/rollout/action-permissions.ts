import type { ActionName } from '../schemas/action-names';

/** One Kubernetes API request an action makes, as an access review asks about it. */
export interface ApiPermission {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

const FAULTS_CONFIG_MAP = 'webapp-faults';
const rollouts = (verb: string, subresource?: string): ApiPermission => ({
  verb,
  group: 'argoproj.io',
  resource: 'rollouts',
  ...(subresource ? { subresource } : {}),
});

/**
 * What each action needs from the Kubernetes API (DESIGN.md §4; server/kube sends exactly these): a status patch for
 * promote/abort/retry, a spec patch for pause/resume/restart/promote, GET + PUT for launch, the ReplicaSets and a JSON
 * patch for undo, the faults ConfigMap for canary faults, Jobs for load.
 */
export const ACTION_PERMISSIONS: Record<ActionName, readonly ApiPermission[]> = {
  launch: [rollouts('get'), rollouts('update')],
  promote: [rollouts('patch', 'status'), rollouts('patch')],
  'promote-full': [rollouts('patch', 'status'), rollouts('patch')],
  abort: [rollouts('patch', 'status')],
  retry: [rollouts('patch', 'status')],
  restart: [rollouts('patch')],
  pause: [rollouts('patch')],
  resume: [rollouts('patch')],
  undo: [{ verb: 'list', group: 'apps', resource: 'replicasets' }, rollouts('patch')],
  faults: [
    { verb: 'get', group: '', resource: 'configmaps', name: FAULTS_CONFIG_MAP },
    { verb: 'patch', group: '', resource: 'configmaps', name: FAULTS_CONFIG_MAP },
  ],
  load: [
    { verb: 'list', group: 'batch', resource: 'jobs' },
    { verb: 'create', group: 'batch', resource: 'jobs' },
    { verb: 'delete', group: 'batch', resource: 'jobs' },
  ],
};

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
