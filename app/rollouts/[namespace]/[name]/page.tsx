import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/auth/forbidden';
import { IdentityAccessProvider } from '@/components/rollout/identity-access';
import { KubeContextProvider } from '@/components/rollout/kube-context';
import { RolloutLive } from '@/components/rollout/rollout-live';
import { ClusterStatus } from '@/components/shell/cluster-status';
import { externalLinks } from '@/lib/links/external-links';
import { rolloutParamsSchema } from '@/lib/schemas/actions';
import { loadTargets } from '@/server/actions/load-targets';
import { pageAccess } from '@/server/auth/page-access';
import { resolveClusterTarget } from '@/server/config/cluster-target';
import { controlCenterConfig } from '@/server/config/control-center-config';
import { ApiError } from '@/server/http/api-error';
import { readyRegistry } from '@/server/kube/cache-ready';
import { getRolloutView } from '@/server/kube/rollout-views';
import { runtime } from '@/server/runtime/current';
import { knownContext, kubeContexts } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

type Params = {
  params: Promise<{ namespace: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `${namespace}/${name} · Control center` };
}

export default async function RolloutPage({ params, searchParams }: Params) {
  const raw = await params;
  const { denied } = await pageAccess(
    '/rollouts/[namespace]/[name]',
    `/rollouts/${encodeURIComponent(raw.namespace)}/${encodeURIComponent(raw.name)}`,
  );
  if (denied) return <Forbidden reason={denied} />;
  const parsed = rolloutParamsSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const { namespace, name } = parsed.data;
  const target = resolveClusterTarget();
  if (target.kind === 'none' || target.kind === 'invalid') return <ClusterStatus target={target} />;
  const asked = (await searchParams).context;
  const context = knownContext(typeof asked === 'string' ? asked : undefined);
  if (!context) notFound();
  // With several contexts every call of the page names its context; with one, URLs stay as they were.
  const pageContext = kubeContexts().several ? context : undefined;
  // An unreachable API is said on the page (the thrown 503's message); anything else is the page's error.
  const reg = await readyRegistry(3000, context).catch((err: unknown) => {
    if (err instanceof ApiError) return err;
    throw err;
  });
  if (reg instanceof ApiError) {
    return (
      <KubeContextProvider context={pageContext}>
        <RolloutLive
          namespace={namespace}
          name={name}
          initialView={null}
          initialError={reg.message}
          initialNow={Date.now()}
        />
      </KubeContextProvider>
    );
  }
  const found = getRolloutView(reg, namespace, name);
  if (!found) notFound();
  const canary = found.view.revisions.find((r) => r.isCanary && !r.isStable);
  const from = canary?.createdAt ? new Date(canary.createdAt).getTime() - 60_000 : undefined;
  const links = externalLinks(controlCenterConfig().links, { namespace, rollout: name, from });
  // What the control center's own identity may not do here greys those buttons too (cached 30 s per namespace).
  const identity = await runtime().context(context).access.identityReasons(namespace);
  return (
    <KubeContextProvider context={pageContext}>
      <IdentityAccessProvider reasons={identity}>
        <RolloutLive
          namespace={namespace}
          name={name}
          initialView={found.view}
          initialError={null}
          initialNow={Date.now()}
          links={links}
          loadTargets={loadTargets().map((t) => t.name)}
        />
      </IdentityAccessProvider>
    </KubeContextProvider>
  );
}
