import 'server-only';
import type { JudgeQuery } from '@/lib/schemas/judge-query';
import type { JudgeConfig } from '@/lib/slo';
import { apiError } from '../http/errors';
import { kubeErrorMessage, kubeErrorStatus } from '../kube/client';
import { contextOf } from '../kube/contexts';
import { metricsSource } from '../metrics/source';
import { evaluateCanary, type SloReport } from './evaluate';
import { type CanaryTarget, canaryTargetOf, readRollout, TargetError } from './rollout-target';

function overrides(q: JudgeQuery): Partial<JudgeConfig> {
  const c: Partial<JudgeConfig> = {};
  if (q.successRateMin !== undefined) c.successRateMin = q.successRateMin;
  if (q.errorRateMax !== undefined) c.errorRateMax = q.errorRateMax;
  if (q.p95MaxMs !== undefined) c.p95MaxMs = q.p95MaxMs;
  if (q.alpha !== undefined) c.alpha = q.alpha;
  return c;
}

async function targetOf(q: JudgeQuery): Promise<CanaryTarget> {
  if (q.rollout) {
    const t = await canaryTargetOf(await readRollout(q.namespace, q.rollout, q.context), q.context);
    return q.since !== undefined ? { ...t, since: q.since } : t;
  }
  return {
    namespace: q.namespace,
    rollout: null,
    canaryService: q.canaryService ?? '',
    stableService: q.stableService ?? '',
    canaryHash: null,
    stableHash: null,
    since: q.since ?? 0,
  };
}

/** Runs the judge for a parsed query; Kubernetes errors keep their status, nothing throws to the route. */
export async function judgeRequest(q: JudgeQuery, now = Date.now() / 1000): Promise<SloReport | Response> {
  const context = contextOf(q.context);
  if (context instanceof Response) return context;
  try {
    const target = await targetOf(q);
    return await evaluateCanary(target, metricsSource(q.context), overrides(q), Math.floor(now));
  } catch (err) {
    if (err instanceof TargetError) return apiError(err.status, err.code, err.message);
    const status = kubeErrorStatus(err);
    if (status === 404) return apiError(404, 'not_found', `rollout ${q.namespace}/${q.rollout} not found`);
    if (status) return apiError(status, 'kubernetes_error', kubeErrorMessage(err));
    return apiError(
      503,
      'kubernetes_unreachable',
      `the Kubernetes API is unreachable: ${kubeErrorMessage(err)}`,
    );
  }
}
