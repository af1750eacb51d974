import { Forbidden } from '@/components/auth/forbidden';
import { OverviewLive } from '@/components/overview/overview-live';
import { ClusterStatus } from '@/components/shell/cluster-status';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { pageAccess } from '@/server/auth/page-access';
import { resolveClusterTarget } from '@/server/config/cluster-target';
import { readyRegistry } from '@/server/kube/cache-ready';
import { listSummaries } from '@/server/kube/rollout-views';

export const dynamic = 'force-dynamic';

/** The message of an API error response (503 while Kubernetes is unreachable). */
async function errorText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `the control center answered HTTP ${res.status}`;
}

export default async function OverviewPage() {
  const { denied } = await pageAccess('/');
  if (denied) return <Forbidden reason={denied} />;
  const target = resolveClusterTarget();
  if (target.kind === 'none' || target.kind === 'invalid') return <ClusterStatus target={target} />;
  const reg = await readyRegistry(3000);
  let items: RolloutSummary[] = [];
  let error: string | null = null;
  if (reg instanceof Response) error = await errorText(reg);
  else items = listSummaries(reg);
  return <OverviewLive initialItems={items} initialError={error} initialNow={Date.now()} />;
}
