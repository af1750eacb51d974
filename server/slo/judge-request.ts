import 'server-only';
import type { JudgeQuery } from '@/lib/schemas/judge-query';
import { type SloConfig, thresholdParamsSchema } from '@/lib/schemas/slo-thresholds';
import type { JudgeConfig } from '@/lib/slo';
import type { JudgeReport } from '@/lib/slo/report';
import { controlCenterConfig } from '../config/control-center-config';
import { ApiError, invalidInput, notFound } from '../http/api-error';
import { kubeErrorMessage, kubeErrorStatus } from '../kube/client';
import { runtime } from '../runtime/current';
import { resolveContext } from '../runtime/request-context';
import { judgeUrlParams } from './analysis-thresholds';
import { evaluateCanary } from './evaluate';
import { type CanaryTarget, canaryTargetOf, readRollout } from './rollout-target';
import { queryNamesThresholds, resolveThresholds } from './thresholds';

export type { JudgeReport };

async function targetOf(q: JudgeQuery, now: number): Promise<CanaryTarget> {
  if (q.rollout) {
    const t = await canaryTargetOf(await readRollout(q.namespace, q.rollout, q.context), q.context, now);
    if (q.since === undefined || q.since <= t.since) return t;
    // A later ?since= narrows the evidence: steps that started before it begin at it.
    const since = q.since;
    const stepStarts = t.attempt.stepStarts.map((s) => ({ ...s, start: Math.max(s.start, since) }));
    return { ...t, since, attempt: { ...t.attempt, start: Math.max(t.attempt.start, since), stepStarts } };
  }
  const since = q.since ?? 0;
  // A bare pair of services: one attempt, one step, both from `since`.
  const bare = {
    namespace: q.namespace,
    rollout: null,
    canaryService: q.canaryService ?? '',
    stableService: q.stableService ?? '',
    canaryHash: null,
    stableHash: null,
    since,
    attempt: { number: 1, start: since, stepStarts: [{ attempt: 1, start: since }] },
    weight: null,
    stepIndex: null,
  };
  return bare;
}

type AnalysisValues = Parameters<typeof resolveThresholds>[0]['analysis'];

/**
 * The analysis's thresholds. The AnalysisTemplate's URL names them (even empty): the query is the analysis. A query
 * without any (the dashboard's SLO panel) reads them from the newest judge AnalysisRun of the canary in the informer
 * cache, so the panel shows what Argo's measurements are judged against; a bad value there throws a 422 naming the arg.
 */
async function analysisValues(q: JudgeQuery, target: CanaryTarget): Promise<AnalysisValues> {
  if (queryNamesThresholds(q) || !target.rollout || !target.canaryHash) return q;
  const reg = runtime().context(q.context).informers;
  if (!reg.connectivity().synced) await reg.waitForSync(2000);
  const found = judgeUrlParams(reg.list('analysisrun', target.namespace), target.rollout, target.canaryHash);
  if (!found) return {};
  const parsed = thresholdParamsSchema.safeParse(found.params);
  if (!parsed.success) throw invalidInput(parsed.error, `judge URL of AnalysisRun ${found.run}`);
  return parsed.data;
}

/**
 * Runs the judge for a parsed query against the thresholds of the analysis, else CONTROL_CENTER_CONFIG `slo:`, else
 * the defaults. Throws ApiErrors only: refusals as they are, Kubernetes errors keep their status, an unreachable API
 * is a 503.
 */
export async function judgeRequest(
  q: JudgeQuery,
  now = Date.now() / 1000,
  slo: SloConfig = controlCenterConfig().slo,
): Promise<JudgeReport> {
  resolveContext(q.context);
  try {
    // The judge serves the canary's ReplicaSets and runs from the informer cache once it is synced
    // (release-reads.ts); the first call starts it.
    if (q.rollout) runtime().context(q.context).start();
    const target = await targetOf(q, Math.floor(now));
    const analysis = await analysisValues(q, target);
    const thresholds = resolveThresholds({
      analysis,
      namespace: q.namespace,
      rollout: q.rollout,
      config: slo,
    });
    const config: Partial<JudgeConfig> = {
      successRateMin: thresholds.successRateMin,
      errorRateMax: thresholds.errorRateMax,
      p95MaxMs: thresholds.p95MaxMs,
      minStepSeconds: thresholds.minStepSeconds,
    };
    if (q.alpha !== undefined) config.alpha = q.alpha;
    const report = await evaluateCanary(
      target,
      runtime().context(q.context).metrics,
      config,
      Math.floor(now),
    );
    return { ...report, thresholds };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const status = kubeErrorStatus(err);
    if (status === 404) throw notFound(`rollout ${q.namespace}/${q.rollout} not found`);
    if (status) throw new ApiError(status, 'kubernetes_error', kubeErrorMessage(err));
    throw new ApiError(
      503,
      'kubernetes_unreachable',
      `the Kubernetes API is unreachable: ${kubeErrorMessage(err)}`,
    );
  }
}
