import { Forbidden } from '@/components/auth/forbidden';
import { OverviewLive } from '@/components/overview/overview-live';
import { ClusterStatus } from '@/components/shell/cluster-status';
import { FIRST_SCREEN_ROWS } from '@/lib/overview/first-rows';
import { pageAccess } from '@/server/auth/page-access';
import { resolveClusterTarget } from '@/server/config/cluster-target';
import { firstScreenOf } from '@/server/kube/context-summaries';
import { kubeContexts } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OverviewPage({ searchParams }: Props) {
  const { denied } = await pageAccess('/');
  if (denied) return <Forbidden reason={denied} />;
  const target = resolveClusterTarget();
  if (target.kind === 'none' || target.kind === 'invalid') return <ClusterStatus target={target} />;
  const ctx = kubeContexts();
  const names = ctx.list.map((c) => c.name);
  const asked = (await searchParams).context;
  const selected = typeof asked === 'string' && names.includes(asked) ? asked : undefined;
  // The first screen only (with 10,000 rollouts the page would carry megabytes); the live stream brings the rest.
  const { items, counts, contexts } = await firstScreenOf(
    selected ? [selected] : names,
    FIRST_SCREEN_ROWS,
    3000,
  );
  const down = contexts.find((c) => !c.synced);
  const error = down ? (ctx.several ? `context ${down.name}: ${down.lastError}` : down.lastError) : null;
  return (
    <OverviewLive
      initialItems={items}
      initialCounts={counts}
      initialError={error}
      contexts={ctx.several ? names : []}
      selected={selected}
    />
  );
}
