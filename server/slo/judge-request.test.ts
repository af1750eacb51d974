import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeQuerySchema } from '@/lib/schemas/judge-query';
import { sloConfigSchema } from '@/lib/schemas/slo-thresholds';
import { ApiError } from '@/server/http/api-error';
import type { InformerRegistry } from '@/server/kube/registry';
import { inProgress, seedDemo, setRollout, template } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { type JudgeReport, judgeRequest } from './judge-request';

/**
 * judgeRequest against a throwaway lab API: the thresholds of a judgement come from the AnalysisTemplate's args (the
 * query, or for the dashboard the canary's newest judge AnalysisRun), else CONTROL_CENTER_CONFIG, else the defaults.
 */
let k: LabKube;
let reg: InformerRegistry;
let rt: TestRuntime;
let rolloutUid = '';

const slo = sloConfigSchema.parse({
  successRateMin: 0.98,
  namespaces: { demo: { errorRateMax: 0.02, minStepSeconds: 45 } },
  rollouts: { 'demo/webapp': { p95MaxMs: 500 } },
});

const JUDGE_URL =
  'http://cc:3300/api/v1/judge?namespace={{args.namespace}}&rollout={{args.rollout}}&successRateMin={{args.success-rate}}&errorRateMax={{args.error-rate}}&p95MaxMs={{args.p95-ms}}&minStepSeconds={{args.min-step-seconds}}';

function analysisRun(name: string, stepIndex: number, args: Record<string, string>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace: 'demo',
      annotations: { 'rollout.argoproj.io/revision': '2' },
      labels: { 'rollouts-pod-template-hash': 'h2', 'rollout-type': 'Step', 'step-index': String(stepIndex) },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid: rolloutUid },
      ],
    },
    spec: {
      args: [
        { name: 'namespace', value: 'demo' },
        { name: 'rollout', value: 'webapp' },
        ...Object.entries(args).map(([n, value]) => ({ name: n, value })),
      ],
      metrics: [
        {
          name: 'slo-judge',
          interval: '10s',
          provider: { web: { url: JUDGE_URL, jsonPath: '{$.verdict}' } },
        },
      ],
    },
  };
}

beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  delete process.env.PROMETHEUS_URL;
  delete process.env.METRICS_WINDOW_URL;
  seedDemo(k.lab);
  rolloutUid = setRollout(k.lab, 'v1.1', inProgress).metadata?.uid ?? '';
  create(k.lab, 'replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'webapp-h2',
      namespace: 'demo',
      annotations: { 'rollout.argoproj.io/revision': '2' },
      labels: { app: 'webapp', 'rollouts-pod-template-hash': 'h2' },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid: rolloutUid },
      ],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: 'webapp' } }, template: template('v1.1') },
  });
  rt = startTestRuntime({ kc: k.kc });
  reg = rt.context().informers;
  await reg.waitForSync(10_000);
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

const judge = async (query: Record<string, string>) => {
  const q = judgeQuerySchema.parse({ namespace: 'demo', ...query });
  return judgeRequest(q, Date.now() / 1000, slo);
};
const report = async (query: Record<string, string>): Promise<JudgeReport> => judge(query);
const untilRunSeen = async (name: string) => {
  for (let i = 0; i < 200 && !reg.get('analysisrun', 'demo', name); i++)
    await new Promise((r) => setTimeout(r, 25));
};

describe('judgeRequest: where the thresholds come from', () => {
  it('the AnalysisTemplate args in the query win; empty args fall to rollout, namespace and file-wide config', async () => {
    const r = await report({
      rollout: 'webapp',
      successRateMin: '',
      errorRateMax: '',
      p95MaxMs: '250',
      minStepSeconds: '',
    });
    expect(r.thresholds).toEqual({
      successRateMin: 0.98,
      errorRateMax: 0.02,
      p95MaxMs: 250,
      minStepSeconds: 45,
      sources: {
        successRateMin: 'config',
        errorRateMax: 'config-namespace',
        p95MaxMs: 'analysis',
        minStepSeconds: 'config-namespace',
      },
    });
    // The judge applied them (evaluateCanary got the resolved config).
    expect(r.slos.find((s) => s.name === 'latency-p95')?.threshold).toBe(250);
    expect(r.slos.find((s) => s.name === 'success-rate')?.threshold).toBe(0.98);
  });

  it('without a judge AnalysisRun, the dashboard query gets the config: the rollout entry first', async () => {
    const r = await report({ rollout: 'webapp' });
    expect([r.thresholds.p95MaxMs, r.thresholds.sources.p95MaxMs]).toEqual([500, 'config-rollout']);
  });

  it('the dashboard query reads the args of the canary’s newest judge AnalysisRun', async () => {
    create(k.lab, 'analysisruns', analysisRun('webapp-h2-2-1', 1, { 'p95-ms': '900' }));
    create(
      k.lab,
      'analysisruns',
      analysisRun('webapp-h2-2-3', 3, {
        'success-rate': '0.995',
        'error-rate': '',
        'p95-ms': '300',
        'min-step-seconds': '60',
      }),
    );
    await untilRunSeen('webapp-h2-2-3');
    const r = await report({ rollout: 'webapp' });
    expect(r.thresholds).toEqual({
      successRateMin: 0.995,
      errorRateMax: 0.02,
      p95MaxMs: 300,
      minStepSeconds: 60,
      sources: {
        successRateMin: 'analysis',
        errorRateMax: 'config-namespace',
        p95MaxMs: 'analysis',
        minStepSeconds: 'analysis',
      },
    });
  });

  it('a bad arg in that run is a 422 naming the run, the field and the arg', async () => {
    create(k.lab, 'analysisruns', analysisRun('webapp-h2-2-5', 5, { 'p95-ms': 'fast' }));
    await untilRunSeen('webapp-h2-2-5');
    const err = await judge({ rollout: 'webapp' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    const refusal = err as ApiError;
    expect(refusal.status).toBe(422);
    expect(refusal.code).toBe('invalid_input');
    expect(refusal.message).toContain('invalid judge URL of AnalysisRun webapp-h2-2-5: ');
    expect(refusal.message).toContain(
      'p95MaxMs: must be a number (milliseconds), got "fast" (AnalysisTemplate arg p95-ms)',
    );
    expect(refusal.message).toContain(
      'successRateMin: the AnalysisTemplate arg success-rate was not substituted',
    );
    k.lab.store.delete(R.ar, 'demo', 'webapp-h2-2-5');
  });

  it('two services without a rollout: only the namespace and file-wide config apply', async () => {
    const r = await report({
      canaryService: 'webapp-canary',
      stableService: 'webapp-stable',
      since: String(Math.floor(Date.now() / 1000) - 60),
    });
    expect(r.thresholds.sources).toEqual({
      successRateMin: 'config',
      errorRateMax: 'config-namespace',
      p95MaxMs: 'default',
      minStepSeconds: 'config-namespace',
    });
    expect(r.verdict).toBe('pause');
  });
});
