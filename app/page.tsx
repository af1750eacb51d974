import { ClusterStatus } from '@/components/shell/cluster-status';
import { resolveClusterTarget } from '@/server/config/cluster-target';

export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  return <ClusterStatus target={resolveClusterTarget()} />;
}
