import { z } from 'zod';

const url = z
  .url({ message: 'must be an http(s) URL' })
  .refine((u) => /^https?:\/\//.test(u), 'must be http(s)');

/** External tools the control center links to; every field has a default for the seed's port-forwards. */
export const linksSchema = z
  .object({
    argocd: z
      .object({ url: url.default('http://127.0.0.1:8080'), appNamespace: z.string().default('argocd') })
      .strict()
      .default({ url: 'http://127.0.0.1:8080', appNamespace: 'argocd' }),
    rollouts: z
      .object({ url: url.default('http://127.0.0.1:3100') })
      .strict()
      .default({ url: 'http://127.0.0.1:3100' }),
    grafana: z
      .object({ url: url.default('http://127.0.0.1:3000'), dashboardUid: z.string().default('canary') })
      .strict()
      .default({ url: 'http://127.0.0.1:3000', dashboardUid: 'canary' }),
    kiali: z
      .object({ url: url.default('http://127.0.0.1:20001') })
      .strict()
      .default({ url: 'http://127.0.0.1:20001' }),
    prometheus: z
      .object({ url: url.default('http://127.0.0.1:9090') })
      .strict()
      .default({ url: 'http://127.0.0.1:9090' }),
  })
  .strict();

/** The file named by CONTROL_CENTER_CONFIG (YAML). Later issues add users/roles and OIDC. */
export const controlCenterConfigSchema = z
  .object({
    links: linksSchema.default(linksSchema.parse({})),
    slo: z
      .object({
        successRateMin: z.number().min(0.5).max(0.999999).optional(),
        errorRateMax: z.number().min(0.000001).max(0.5).optional(),
        p95MaxMs: z.number().min(1).max(600_000).optional(),
      })
      .strict()
      .default({}),
    namespaces: z.array(z.string()).optional(),
  })
  .strict();

export type ControlCenterConfig = z.infer<typeof controlCenterConfigSchema>;
export type LinksConfig = z.infer<typeof linksSchema>;
