import { z } from 'zod';
import { externalLinks } from '@/lib/links/external-links';
import type { Rollout } from '@/lib/rollout/kube-types';
import { contextQuerySchema } from '@/lib/schemas/actions';
import { dnsLabel, dnsSubdomain } from '@/lib/schemas/names';
import { controlCenterConfig } from '@/server/config/control-center-config';
import { notFound } from '@/server/http/api-error';
import { json, route } from '@/server/http/route';
import { canaryWindowStart } from '@/server/kube/canary-window';
import { runtime } from '@/server/runtime/current';
import { resolveContext } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ namespace: dnsLabel, name: dnsSubdomain });

/** Argo CD, Rollouts dashboard, Grafana (with the canary's time window), Kiali and Prometheus links for a rollout. */
export const GET = route(
  { params: paramsSchema, query: contextQuerySchema },
  async ({ params: { namespace, name }, query }) => {
    const reg = runtime().context(resolveContext(query.context)).informers;
    await reg.waitForSync(3000);
    const ro = reg.get('rollout', namespace, name) as Rollout | undefined;
    if (!ro) throw notFound(`rollout ${namespace}/${name} not found`);
    const from = canaryWindowStart(reg, namespace, ro);
    return json({ links: externalLinks(controlCenterConfig().links, { namespace, rollout: name, from }) });
  },
);
