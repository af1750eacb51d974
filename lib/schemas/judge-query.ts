import { z } from 'zod';
import { dnsLabel, dnsSubdomain, kubeContextName } from './names';
import { thresholdParamsShape } from './slo-thresholds';

const num = (min: number, max: number) => z.coerce.number().min(min).max(max).optional();

/**
 * Query of `GET /api/v1/judge` (Argo Rollouts' web provider) and of the dashboard's SLO report: a rollout, or a pair
 * of services with a start time. The SLO thresholds (`successRateMin`, `errorRateMax`, `p95MaxMs`, `minStepSeconds`)
 * are the AnalysisTemplate's args: bounded; empty = not set by the analysis (CONTROL_CENTER_CONFIG, else the default
 * applies); a bad or unsubstituted value is refused naming the field and the arg (lib/schemas/slo-thresholds.ts).
 */
export const judgeQuerySchema = z
  .object({
    /** The kube context (and its Prometheus) to judge in; omitted: the default one. */
    context: kubeContextName.optional(),
    namespace: dnsLabel,
    rollout: dnsSubdomain.optional(),
    canaryService: dnsLabel.optional(),
    stableService: dnsLabel.optional(),
    since: z.coerce.number().int().min(0).optional(),
    ...thresholdParamsShape,
    alpha: num(0.0001, 0.2),
  })
  .strict()
  .refine((q) => q.rollout !== undefined || (q.canaryService && q.stableService && q.since !== undefined), {
    message: 'give rollout, or canaryService + stableService + since',
    path: ['rollout'],
  });

export type JudgeQuery = z.infer<typeof judgeQuerySchema>;
