/**
 * The raw Kubernetes / Argo Rollouts / Istio shapes the view models read. Every field is optional: objects come from
 * the API as JSON and the view never trusts a field to be there.
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion?: string;
    kind?: string;
    name?: string;
    uid?: string;
    controller?: boolean;
  }>;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: { containers?: Container[]; [key: string]: unknown };
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: { templates?: Array<{ templateName?: string; clusterScope?: boolean }> };
  experiment?: unknown;
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
  setHeaderRoute?: { name?: string };
  setMirrorRoute?: { name?: string };
  [key: string]: unknown;
}

export interface RunStatusRef {
  name?: string;
  status?: string;
  message?: string;
}

export interface WeightDestination {
  weight?: number;
  serviceName?: string;
  podTemplateHash?: string;
}

export interface RolloutStatus {
  phase?: string;
  message?: string;
  observedGeneration?: string | number;
  currentPodHash?: string;
  stableRS?: string;
  currentStepIndex?: number;
  pauseConditions?: Array<{ reason?: string; startTime?: string }> | null;
  controllerPause?: boolean;
  abort?: boolean;
  abortedAt?: string | null;
  promoteFull?: boolean;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  canary?: {
    weights?: { canary?: WeightDestination; stable?: WeightDestination; verified?: boolean };
    currentStepAnalysisRunStatus?: RunStatusRef | null;
    currentBackgroundAnalysisRunStatus?: RunStatusRef | null;
  };
  [key: string]: unknown;
}

export interface Rollout extends KubeObject {
  spec?: {
    replicas?: number;
    paused?: boolean;
    restartAt?: string;
    template?: PodTemplate;
    workloadRef?: { name?: string; kind?: string };
    strategy?: {
      canary?: {
        canaryService?: string;
        stableService?: string;
        steps?: CanaryStep[];
        trafficRouting?: { istio?: { virtualService?: { name?: string; routes?: string[] } } };
        [key: string]: unknown;
      };
      blueGreen?: unknown;
    };
    [key: string]: unknown;
  };
  status?: RolloutStatus;
}

export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplate; [key: string]: unknown };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface MetricResult {
  name?: string;
  phase?: string;
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
  consecutiveError?: number;
  message?: string;
  measurements?: Array<{
    phase?: string;
    value?: string;
    startedAt?: string;
    finishedAt?: string;
    message?: string;
  }>;
}

export interface AnalysisRun extends KubeObject {
  spec?: { metrics?: Array<{ name?: string }>; terminate?: boolean; [key: string]: unknown };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    /** When the run's phase first became a completed one (Argo Rollouts ≥ 1.7). */
    completedAt?: string;
    metricResults?: MetricResult[];
  };
}

export interface Pod extends KubeObject {
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: Array<{ ready?: boolean; restartCount?: number }>;
  };
}

export interface HttpRoute {
  name?: string;
  route?: Array<{ destination?: { host?: string; subset?: string }; weight?: number }>;
  fault?: unknown;
  [key: string]: unknown;
}

export interface VirtualService extends KubeObject {
  spec?: { hosts?: string[]; http?: HttpRoute[]; [key: string]: unknown };
}

export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const POD_HASH_LABEL = 'rollouts-pod-template-hash';
