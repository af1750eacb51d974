import { z } from 'zod';
import { externalLinks } from '@/lib/links/external-links';
import type { ReplicaSet, Rollout } from '@/lib/rollout/kube-types';
import { contextQuerySchema } from '@/lib/schemas/actions';
import { dnsLabel, dnsSubdomain } from '@/lib/schemas/names';
import { guarded } from '@/server/auth/guard';
import { controlCenterConfig } from '@/server/config/control-center-config';
import { apiError, queryObject, validationError } from '@/server/http/errors';
import { contextOf } from '@/server/kube/contexts';
import { informers } from '@/server/kube/registry';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ namespace: dnsLabel, name: dnsSubdomain });

/** Argo CD, Rollouts dashboard, Grafana (with the canary's time window), Kiali and Prometheus links for a rollout. */
export const GET = guarded(
  async (req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> => {
    const params = paramsSchema.safeParse(await ctx.params);
    if (!params.success) return validationError(params.error, 'path');
    const query = contextQuerySchema.safeParse(queryObject(req.url));
    if (!query.success) return validationError(query.error, 'query');
    const context = contextOf(query.data.context);
    if (context instanceof Response) return context;
    const { namespace, name } = params.data;
    const reg = informers(context);
    await reg.waitForSync(3000);
    const ro = reg.get('rollout', namespace, name) as Rollout | undefined;
    if (!ro) return apiError(404, 'not_found', `rollout ${namespace}/${name} not found`);
    const hash = ro.status?.currentPodHash;
    const canaryRs = hash
      ? (reg.list('replicaset', namespace) as ReplicaSet[]).find(
          (rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'] === hash,
        )
      : undefined;
    const inCanary = hash !== undefined && hash !== ro.status?.stableRS;
    const created = canaryRs?.metadata?.creationTimestamp;
    const from = inCanary && created ? new Date(created).getTime() - 60_000 : undefined;
    const links = externalLinks(controlCenterConfig().links, { namespace, rollout: name, from });
    return Response.json({ links }, { headers: { 'cache-control': 'no-store' } });
  },
);
