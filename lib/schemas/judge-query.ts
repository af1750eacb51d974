import { z } from 'zod';
import { dnsLabel, dnsSubdomain, kubeContextName } from './names';

const num = (min: number, max: number) => z.coerce.number().min(min).max(max).optional();

/**
 * Query of `GET /api/v1/judge` (Argo Rollouts' web provider) and of the dashboard's SLO report: a rollout, or a pair
 * of services with a start time. SLO overrides are bounded.
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
    successRateMin: num(0.5, 0.999999),
    errorRateMax: num(0.000001, 0.5),
    p95MaxMs: num(1, 600_000),
    alpha: num(0.0001, 0.2),
  })
  .strict()
  .refine((q) => q.rollout !== undefined || (q.canaryService && q.stableService && q.since !== undefined), {
    message: 'give rollout, or canaryService + stableService + since',
    path: ['rollout'],
  });

export type JudgeQuery = z.infer<typeof judgeQuerySchema>;
