import { z } from 'zod';

/** The fields of an Argo Rollout the control center reads, parsed at the border (unknown fields pass through). */
export const rolloutSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('Rollout'),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string(),
    uid: z.string().optional(),
    generation: z.number().optional(),
    creationTimestamp: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.looseObject({
    replicas: z.number().optional(),
    paused: z.boolean().optional(),
    strategy: z
      .looseObject({
        canary: z
          .looseObject({
            canaryService: z.string().optional(),
            stableService: z.string().optional(),
            steps: z.array(z.record(z.string(), z.unknown())).optional(),
          })
          .optional(),
      })
      .optional(),
    template: z
      .looseObject({
        spec: z.looseObject({
          containers: z.array(z.looseObject({ name: z.string(), image: z.string().optional() })),
        }),
      })
      .optional(),
  }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      message: z.string().optional(),
      currentPodHash: z.string().optional(),
      stableRS: z.string().optional(),
      currentStepIndex: z.number().optional(),
      abort: z.boolean().optional(),
      abortedAt: z.string().optional(),
    })
    .optional(),
});

export type RolloutObject = z.infer<typeof rolloutSchema>;
