/**
 * The lab's one public entry for tests and benches of the control center. Everything the control center's tests may use
 * of the lab is exported here; the dependency rule (.dependency-cruiser.cjs) refuses any other import of lab/.
 *
 * - `startTestLab`: a throwaway Kubernetes API (store, TLS, token, kubeconfig) in this process.
 * - `LabProcess`: the real lab program (`lab/main.ts`) as a child process, on free ports with its own state folder.
 * - The controller, kubelet, gateway and Prometheus pieces, to compose a lab with only the parts a test needs.
 * - The Argo Rollouts and Istio semantics the lab models (analysis assessment, bucket layouts), for benches and checks
 *   that must agree with them.
 */
export { loadValidators, startApiServer, validateObject } from '../api';
export { startController } from '../controller';
export { assessMetricStatus, isWorse } from '../controller/analysis/assess';
export { podTemplateHash } from '../controller/hash';
export { buildReplicaSet } from '../controller/replicasets';
export { buildAnalysisRun, freeRunName, type RunKind, runBaseName } from '../controller/rollout-analysis';
export { withWeights } from '../controller/traffic';
export type {
  AnalysisTemplate,
  CanaryStep,
  Metric,
  MetricResult,
  PodTemplate,
  Rollout,
  RolloutStatus,
} from '../controller/types';
export { healthyAt, PATHS, patch, rollout, runningPods } from '../e2e/kube-objects';
export { LabProcess } from '../e2e/lab-process';
export { Traffic } from '../e2e/traffic';
export { sleep, waitFor } from '../e2e/wait';
export { WatchStream } from '../e2e/watch-stream';
export {
  ENVOY_DEFAULT_BUCKETS,
  type Gateway,
  ingressGatewayObjects,
  SLO_BUCKETS_ANNOTATION_VALUE,
  STATS_HISTOGRAM_BUCKETS_ANNOTATION,
  startGateway,
} from '../gateway';
export { seedIngressGateway } from '../gateway/ingress-gateway';
export { durationBucketsFor } from '../gateway/istio-buckets';
export { IstioMetrics, type RequestLabels } from '../gateway/istio-metrics';
export { WindowStats } from '../gateway/window-stats';
export { findOnPath } from '../metrics/find-binary';
export { type Prometheus, startPrometheus } from '../metrics/prometheus';
export { ensurePki, writeKubeconfig } from '../pki';
export { authorize } from '../rbac/authorize';
export type { Binding, PolicySource, Role } from '../rbac/types';
export { recordEvent } from '../runtime/events';
export { LabStore } from '../store/lab-store';
export { resource } from '../store/resources';
export type { KubeObject } from '../store/types';
export { startWorkloads, type Workloads } from '../workloads';
export {
  demoStore,
  ensureBuilt,
  HASH_CANARY,
  HASH_STABLE,
  LOADGEN_ENTRY,
  R as FIXTURE_RESOURCES,
  readyPods,
  replicaSet,
  tempDir,
  WEBAPP_ENTRY,
} from '../workloads/testing/lab-fixtures';
export { type ApiResult, labRequest } from './lab-client';
export { startTestLab, type TestLab, type TestLabOptions } from './test-lab';
