import 'server-only';

import { WATCHED_KINDS, type WatchedKind } from '@/lib/rollout/watched-kinds';

export { WATCHED_KINDS, type WatchedKind };

export interface KindSpec {
  kind: WatchedKind;
  /** The Kubernetes kind and apiVersion (list items do not always carry them). */
  k8sKind: string;
  apiVersion: string;
  /** The all-namespaces collection path. */
  path: string;
  fieldSelector?: string;
}

export const FAULTS_CONFIG_MAP = 'webapp-faults';

/** The kind's collection in one namespace (`.../namespaces/<ns>/<plural>`), or across all of them. */
export function collectionPath(spec: KindSpec, namespace?: string): string {
  if (namespace === undefined) return spec.path;
  const cut = spec.path.lastIndexOf('/');
  return `${spec.path.slice(0, cut)}/namespaces/${encodeURIComponent(namespace)}${spec.path.slice(cut)}`;
}

export const KIND_SPECS: Record<WatchedKind, KindSpec> = {
  rollout: {
    kind: 'rollout',
    k8sKind: 'Rollout',
    apiVersion: 'argoproj.io/v1alpha1',
    path: '/apis/argoproj.io/v1alpha1/rollouts',
  },
  analysisrun: {
    kind: 'analysisrun',
    k8sKind: 'AnalysisRun',
    apiVersion: 'argoproj.io/v1alpha1',
    path: '/apis/argoproj.io/v1alpha1/analysisruns',
  },
  replicaset: {
    kind: 'replicaset',
    k8sKind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    path: '/apis/apps/v1/replicasets',
  },
  pod: { kind: 'pod', k8sKind: 'Pod', apiVersion: 'v1', path: '/api/v1/pods' },
  virtualservice: {
    kind: 'virtualservice',
    k8sKind: 'VirtualService',
    apiVersion: 'networking.istio.io/v1',
    path: '/apis/networking.istio.io/v1/virtualservices',
  },
  event: { kind: 'event', k8sKind: 'Event', apiVersion: 'v1', path: '/api/v1/events' },
  configmap: {
    kind: 'configmap',
    k8sKind: 'ConfigMap',
    apiVersion: 'v1',
    path: '/api/v1/configmaps',
    fieldSelector: `metadata.name=${FAULTS_CONFIG_MAP}`,
  },
  job: { kind: 'job', k8sKind: 'Job', apiVersion: 'batch/v1', path: '/apis/batch/v1/jobs' },
};
