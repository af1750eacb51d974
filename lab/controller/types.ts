/** The Argo Rollouts / core shapes the lab controller reads and writes (the fields it uses, named as in the CRDs). */
import type { KubeObject, ObjectMeta } from '../store/types';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface AnalysisArgValueFrom {
  podTemplateHashValue?: 'Stable' | 'Latest';
  fieldRef?: { fieldPath: string };
  secretKeyRef?: { name: string; key: string };
}
export interface AnalysisArg {
  name: string;
  value?: string;
  valueFrom?: AnalysisArgValueFrom;
}
export interface RolloutAnalysis {
  templates?: Array<{ templateName: string; clusterScope?: boolean }>;
  args?: AnalysisArg[];
  startingStep?: number;
  dryRun?: Array<{ metricName: string }>;
  /** Labels and annotations Argo copies onto the AnalysisRuns it creates. */
  analysisRunMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}
export interface SetCanaryScale {
  weight?: number;
  replicas?: number;
  matchTrafficWeight?: boolean;
}
export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: RolloutAnalysis;
  setCanaryScale?: SetCanaryScale;
  experiment?: unknown;
}
export interface CanaryStrategy {
  canaryService?: string;
  stableService?: string;
  steps?: CanaryStep[];
  analysis?: RolloutAnalysis;
  scaleDownDelaySeconds?: number;
  abortScaleDownDelaySeconds?: number;
  trafficRouting?: { istio?: { virtualService?: { name: string; routes?: string[] } } };
}
export interface RolloutSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: PodTemplate;
  strategy?: { canary?: CanaryStrategy; blueGreen?: unknown };
  paused?: boolean;
  restartAt?: string;
  revisionHistoryLimit?: number;
  /** Seconds without progress before the Progressing condition turns ProgressDeadlineExceeded (Argo: 600). */
  progressDeadlineSeconds?: number;
  /** Abort the update when the progress deadline is exceeded. */
  progressDeadlineAbort?: boolean;
}
export interface PauseCondition {
  reason: string;
  startTime: string;
}
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}
export interface RunStatusRef {
  name: string;
  status: string;
  message?: string;
}
export interface WeightDestination {
  weight: number;
  serviceName?: string;
  podTemplateHash?: string;
}
export interface RolloutStatus {
  phase?: string;
  message?: string;
  observedGeneration?: string;
  currentPodHash?: string;
  currentStepHash?: string;
  currentStepIndex?: number;
  stableRS?: string;
  pauseConditions?: PauseCondition[] | null;
  controllerPause?: boolean;
  abort?: boolean;
  abortedAt?: string | null;
  promoteFull?: boolean;
  restartedAt?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  selector?: string;
  conditions?: Condition[];
  canary?: {
    weights?: { canary: WeightDestination; stable: WeightDestination; verified?: boolean };
    currentStepAnalysisRunStatus?: RunStatusRef | null;
    currentBackgroundAnalysisRunStatus?: RunStatusRef | null;
  };
  [key: string]: unknown;
}
export interface Rollout extends KubeObject {
  spec: RolloutSpec;
  status?: RolloutStatus;
}

export interface ReplicaSetStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
}
export interface ReplicaSet extends KubeObject {
  spec: { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template?: PodTemplate };
  status?: ReplicaSetStatus;
}

export interface Service extends KubeObject {
  spec?: { selector?: Record<string, string>; [key: string]: unknown };
}

export interface Pod extends KubeObject {
  metadata: ObjectMeta;
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

export interface HttpRouteDestination {
  destination: { host: string; subset?: string; port?: unknown };
  weight?: number;
  [key: string]: unknown;
}
export interface HttpRoute {
  name?: string;
  route?: HttpRouteDestination[];
  [key: string]: unknown;
}
export interface VirtualService extends KubeObject {
  spec?: { hosts?: string[]; http?: HttpRoute[]; [key: string]: unknown };
}

export interface Metric {
  name: string;
  interval?: string;
  initialDelay?: string;
  count?: number | string;
  failureLimit?: number | string;
  inconclusiveLimit?: number | string;
  consecutiveErrorLimit?: number | string;
  consecutiveSuccessLimit?: number | string;
  successCondition?: string;
  failureCondition?: string;
  provider: {
    web?: {
      url: string;
      method?: string;
      headers?: Array<{ key: string; value: string }>;
      body?: string;
      jsonBody?: unknown;
      jsonPath?: string;
      timeoutSeconds?: number;
    };
    prometheus?: { address?: string; query: string; timeout?: number };
    [key: string]: unknown;
  };
}
export interface Measurement {
  phase: string;
  value?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}
export interface MetricResult {
  name: string;
  phase: string;
  message?: string;
  dryRun?: boolean;
  measurements?: Measurement[];
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
  consecutiveError?: number;
  consecutiveSuccess?: number;
}
export interface RunSummary {
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
}
export interface AnalysisRunStatus {
  phase?: string;
  message?: string;
  startedAt?: string;
  /** Set once, when the phase first becomes a completed one (Argo Rollouts v1.9.1 analysis.go). */
  completedAt?: string;
  metricResults?: MetricResult[];
  runSummary?: RunSummary;
  dryRunSummary?: RunSummary;
}
export interface AnalysisRun extends KubeObject {
  spec: {
    metrics: Metric[];
    args?: AnalysisArg[];
    terminate?: boolean;
    dryRun?: Array<{ metricName: string }>;
  };
  status?: AnalysisRunStatus;
}
export interface AnalysisTemplate extends KubeObject {
  spec: { metrics: Metric[]; args?: AnalysisArg[]; dryRun?: Array<{ metricName: string }> };
}

export const HASH_LABEL = 'rollouts-pod-template-hash';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'rollout.argoproj.io/revision-history';
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';
