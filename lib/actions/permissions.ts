/** One Kubernetes API request an action makes, as an access review asks about it. */
export interface ApiPermission {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

/** The ConfigMap the demo app reads its canary faults from (key `faults.json`, per version tag). */
export const FAULTS_CONFIG_MAP = 'webapp-faults';

export const rollouts = (verb: string, subresource?: string): ApiPermission => ({
  verb,
  group: 'argoproj.io',
  resource: 'rollouts',
  ...(subresource ? { subresource } : {}),
});
export const replicaSets = (verb: string): ApiPermission => ({
  verb,
  group: 'apps',
  resource: 'replicasets',
});
export const configMap = (verb: string): ApiPermission => ({
  verb,
  group: '',
  resource: 'configmaps',
  name: FAULTS_CONFIG_MAP,
});
export const jobs = (verb: string): ApiPermission => ({ verb, group: 'batch', resource: 'jobs' });
