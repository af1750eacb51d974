/**
 * The kube side of the fleet, written as Argo Rollouts writes it (v1.8): per rollout a Rollout whose canary is in
 * progress (status.currentPodHash != status.stableRS, canary/stable services, canary.weights, the running step
 * analysis), the stable and canary ReplicaSets (`<rollout>-<hash>`, `rollouts-pod-template-hash`,
 * `rollout.argoproj.io/revision`, owned by the Rollout), and a step AnalysisRun per analysis step reached
 * (`<rollout>-<hash>-<revision>-<stepIndex>`, labels `rollouts-pod-template-hash`, `rollout-type: Step`,
 * `step-index`, annotation `rollout.argoproj.io/revision`, owned by the Rollout). A step change later marks the
 * previous run Successful, moves the Rollout's step and weights, and creates the next run, in Argo's order.
 */
import { type ApiResult, labRequest } from '@control-center/lab/testing';
import { type RolloutPlan, STEPS, type StepChange } from './fleet';

export interface KubeApi {
  url: string;
  ca: string;
  token: string;
}

const RO = 'argoproj.io/v1alpha1';
const HASH = 'rollouts-pod-template-hash';
const REVISION = 'rollout.argoproj.io/revision';
const JUDGE_URL = 'http://control-center.control-center.svc:3300';

async function call(api: KubeApi, method: string, path: string, body?: unknown): Promise<ApiResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await labRequest({
      url: `${api.url}${path}`,
      method,
      ca: api.ca,
      token: api.token,
      body,
      contentType: method === 'PATCH' ? 'application/merge-patch+json' : undefined,
      timeoutMs: 30_000,
    }).catch((err: Error) => ({ status: 0, json: undefined, text: err.message }));
    if (r.status >= 200 && r.status < 300) return r;
    if (attempt >= 3 || (r.status !== 0 && r.status !== 409 && r.status < 500))
      throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 200 * attempt));
  }
}

const image = (p: RolloutPlan, rev: number) => `registry.example.com/${p.name}:1.${rev}.0`;
const template = (p: RolloutPlan, rev: number, hash?: string) => ({
  metadata: { labels: { app: p.name, ...(hash ? { [HASH]: hash } : {}) } },
  spec: {
    containers: [
      {
        name: 'app',
        image: image(p, rev),
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  },
});

export const runName = (p: RolloutPlan, stepIndex: number): string =>
  `${p.name}-${p.canaryHash}-${p.revision}-${stepIndex}`;

const REPLICAS = 4;

function rolloutObject(p: RolloutPlan) {
  return {
    apiVersion: RO,
    kind: 'Rollout',
    metadata: { name: p.name, namespace: p.namespace, labels: { app: p.name } },
    spec: {
      replicas: REPLICAS,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: p.name } },
      template: template(p, p.revision),
      strategy: {
        canary: {
          canaryService: p.canaryService,
          stableService: p.stableService,
          trafficRouting: { istio: { virtualService: { name: p.name, routes: ['primary'] } } },
          steps: STEPS.map((s) =>
            'analysis' in s
              ? {
                  analysis: {
                    templates: [{ templateName: 'slo-judge' }],
                    args: [
                      { name: 'namespace', value: p.namespace },
                      { name: 'rollout', value: p.name },
                    ],
                  },
                }
              : s,
          ),
        },
      },
    },
  };
}

function rolloutStatus(p: RolloutPlan, step: StepChange) {
  const canaryPods = Math.max(1, Math.round((REPLICAS * step.weight) / 100));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    status: {
      phase: 'Progressing',
      message: 'more replicas need to be updated',
      observedGeneration: '1',
      currentPodHash: p.canaryHash,
      currentStepHash: p.canaryHash.slice(0, 9),
      currentStepIndex: step.stepIndex,
      stableRS: p.stableHash,
      replicas: REPLICAS + canaryPods,
      updatedReplicas: canaryPods,
      readyReplicas: REPLICAS + canaryPods,
      availableReplicas: REPLICAS + canaryPods,
      selector: `app=${p.name}`,
      canary: {
        weights: {
          canary: { weight: step.weight, podTemplateHash: p.canaryHash, serviceName: p.canaryService },
          stable: { weight: 100 - step.weight, podTemplateHash: p.stableHash, serviceName: p.stableService },
        },
        currentStepAnalysisRunStatus: { name: runName(p, step.stepIndex), status: 'Running' },
      },
      conditions: [
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${p.name}-${p.canaryHash}" is progressing.`,
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Available',
          status: 'True',
          reason: 'AvailableReason',
          message: 'Rollout has minimum availability',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Paused',
          status: 'False',
          reason: 'RolloutResumed',
          message: 'Rollout is resumed',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  };
}

function replicaSet(p: RolloutPlan, uid: string, hash: string, rev: number, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${p.name}-${hash}`,
      namespace: p.namespace,
      labels: { app: p.name, [HASH]: hash },
      annotations: { [REVISION]: String(rev), 'rollout.argoproj.io/desired-replicas': String(REPLICAS) },
      ownerReferences: [
        { apiVersion: RO, kind: 'Rollout', name: p.name, uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: p.name, [HASH]: hash } },
      template: template(p, rev, hash),
    },
  };
}

/**
 * The SLO-threshold args of the shipped AnalysisTemplate (manifests/app/41-analysistemplate-judge.yaml), left empty
 * ("not set here"), as Argo substitutes them into the judge's URL.
 */
export const TEMPLATE_QUERY = '&successRateMin=&errorRateMax=&p95MaxMs=&minStepSeconds=';

/** The metric of the shipped judge AnalysisTemplate. */
const judgeMetric = {
  name: 'slo-judge',
  interval: '5s',
  count: 480,
  failureLimit: 0,
  inconclusiveLimit: 479,
  consecutiveSuccessLimit: 1,
  consecutiveErrorLimit: 24,
  successCondition: 'result == "promote"',
  failureCondition: 'result == "rollback"',
  provider: {
    web: {
      url:
        '{{args.judge-url}}/api/v1/judge?namespace={{args.namespace}}&rollout={{args.rollout}}' +
        '&successRateMin={{args.success-rate}}&errorRateMax={{args.error-rate}}&p95MaxMs={{args.p95-ms}}' +
        '&minStepSeconds={{args.min-step-seconds}}',
      headers: [{ key: 'Authorization', value: 'Bearer {{args.judge-token}}' }],
      jsonPath: '{$.verdict}',
      timeoutSeconds: 10,
    },
  },
};

const TOKEN_ARG = {
  name: 'judge-token',
  valueFrom: { secretKeyRef: { name: 'control-center-judge', key: 'token' } },
};
const THRESHOLD_ARGS = ['success-rate', 'error-rate', 'p95-ms', 'min-step-seconds'].map((name) => ({
  name,
  value: '',
}));

function analysisTemplate(namespace: string) {
  return {
    apiVersion: RO,
    kind: 'AnalysisTemplate',
    metadata: { name: 'slo-judge', namespace },
    spec: {
      args: [
        { name: 'namespace' },
        { name: 'rollout' },
        { name: 'judge-url', value: JUDGE_URL },
        TOKEN_ARG,
        ...THRESHOLD_ARGS,
      ],
      metrics: [judgeMetric],
    },
  };
}

/** Ten measurements back from `now`, 5 s apart (Argo keeps the last 10): "pause" answers, i.e. Inconclusive. */
function measurements(now: number, last: 'Inconclusive' | 'Successful') {
  return Array.from({ length: 10 }, (_, i) => {
    const at = new Date(now - (9 - i) * 5_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const phase = i === 9 ? last : 'Inconclusive';
    return { phase, value: phase === 'Successful' ? 'promote' : 'pause', startedAt: at, finishedAt: at };
  });
}

function analysisRun(p: RolloutPlan, uid: string, stepIndex: number) {
  return {
    apiVersion: RO,
    kind: 'AnalysisRun',
    metadata: {
      name: runName(p, stepIndex),
      namespace: p.namespace,
      labels: { [HASH]: p.canaryHash, 'rollout-type': 'Step', 'step-index': String(stepIndex) },
      annotations: { [REVISION]: String(p.revision) },
      ownerReferences: [
        { apiVersion: RO, kind: 'Rollout', name: p.name, uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      args: [
        { name: 'namespace', value: p.namespace },
        { name: 'rollout', value: p.name },
        { name: 'judge-url', value: JUDGE_URL },
        TOKEN_ARG,
        ...THRESHOLD_ARGS,
      ],
      metrics: [judgeMetric],
    },
  };
}

function runStatus(phase: 'Running' | 'Successful') {
  const now = Date.now();
  const at = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  const ms = measurements(now, phase === 'Successful' ? 'Successful' : 'Inconclusive');
  return {
    status: {
      phase,
      startedAt: at,
      ...(phase === 'Successful' ? { message: '', completedAt: at } : {}),
      metricResults: [
        {
          name: 'slo-judge',
          phase,
          count: 10,
          inconclusive: phase === 'Successful' ? 9 : 10,
          ...(phase === 'Successful' ? { successful: 1, consecutiveSuccess: 1 } : {}),
          measurements: ms,
        },
      ],
      runSummary: {
        count: 1,
        ...(phase === 'Successful' ? { successful: 1 } : { inconclusive: 0 }),
      },
    },
  };
}

const ns = (p: RolloutPlan) => `/apis/${RO}/namespaces/${p.namespace}`;

export async function createNamespaces(api: KubeApi, namespaces: string[]): Promise<void> {
  for (const name of namespaces) {
    await call(api, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    await call(api, 'POST', `/apis/${RO}/namespaces/${name}/analysistemplates`, analysisTemplate(name));
  }
}

/** Rollout, ReplicaSets and the step-1 AnalysisRun of one canary at step 1 (setWeight 10, then analysis). */
export async function createCanary(api: KubeApi, p: RolloutPlan): Promise<string> {
  const ro = await call(api, 'POST', `${ns(p)}/rollouts`, rolloutObject(p));
  const uid = (ro.json as { metadata: { uid: string } }).metadata.uid;
  const rsPath = `/apis/apps/v1/namespaces/${p.namespace}/replicasets`;
  const first = p.steps[0] as StepChange;
  const canaryPods = Math.max(1, Math.round((REPLICAS * first.weight) / 100));
  for (const [hash, rev, replicas] of [
    [p.stableHash, p.revision - 1, REPLICAS],
    [p.canaryHash, p.revision, canaryPods],
  ] as const) {
    await call(api, 'POST', rsPath, replicaSet(p, uid, hash, rev, replicas));
    await call(api, 'PATCH', `${rsPath}/${p.name}-${hash}/status`, {
      status: {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: 1,
      },
    });
  }
  await call(api, 'PATCH', `${ns(p)}/rollouts/${p.name}/status`, rolloutStatus(p, first));
  await call(api, 'POST', `${ns(p)}/analysisruns`, analysisRun(p, uid, first.stepIndex));
  await call(
    api,
    'PATCH',
    `${ns(p)}/analysisruns/${runName(p, first.stepIndex)}/status`,
    runStatus('Running'),
  );
  return uid;
}

/** The step-`from` analysis ended Successful: the Rollout moves to `to` (new weight), and its analysis starts. */
export async function advanceCanary(
  api: KubeApi,
  p: RolloutPlan,
  uid: string,
  from: StepChange,
  to: StepChange,
): Promise<void> {
  await call(
    api,
    'PATCH',
    `${ns(p)}/analysisruns/${runName(p, from.stepIndex)}/status`,
    runStatus('Successful'),
  );
  const canaryPods = Math.max(1, Math.round((REPLICAS * to.weight) / 100));
  await call(api, 'PATCH', `/apis/apps/v1/namespaces/${p.namespace}/replicasets/${p.name}-${p.canaryHash}`, {
    spec: { replicas: canaryPods },
  });
  await call(api, 'PATCH', `${ns(p)}/rollouts/${p.name}/status`, rolloutStatus(p, to));
  await call(api, 'POST', `${ns(p)}/analysisruns`, analysisRun(p, uid, to.stepIndex));
  await call(api, 'PATCH', `${ns(p)}/analysisruns/${runName(p, to.stepIndex)}/status`, runStatus('Running'));
}

/** Runs `fn` over `items`, `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
