import { Code } from '@/components/ui/code';
import { EmptyState } from '@/components/ui/empty-state';
import type { ClusterTarget } from '@/lib/cluster-target';

function HowToConnect() {
  return (
    <ul className="list-disc space-y-1 pl-5">
      <li>
        Point it at a cluster: start the control center with <Code>KUBECONFIG=/path/to/kubeconfig</Code> (or
        run it inside the cluster with its service account).
      </li>
      <li>
        Or try it on this machine: <Code>./run.sh local</Code> starts the lab, a one-machine cluster with the
        demo app.
      </li>
    </ul>
  );
}

export function ClusterStatus({ target }: { target: ClusterTarget }) {
  switch (target.kind) {
    case 'none':
      return (
        <EmptyState title="No cluster is configured">
          <p>The control center shows Argo Rollouts from a Kubernetes cluster, and none is configured yet.</p>
          <HowToConnect />
        </EmptyState>
      );
    case 'invalid':
      return (
        <EmptyState title="The cluster configuration cannot be read">
          <p>
            <Code>KUBECONFIG</Code> names <Code>{target.path}</Code>, but {target.reason}.
          </p>
          <HowToConnect />
        </EmptyState>
      );
    case 'in-cluster':
      return (
        <EmptyState title="Running inside the cluster">
          <p>
            Using the service account to reach the API server at <Code>{target.host}</Code>.
          </p>
        </EmptyState>
      );
    case 'kubeconfig':
      return (
        <EmptyState title="Cluster configured">
          <p>
            Context <Code>{target.context ?? '(none)'}</Code> at{' '}
            <Code>{target.server ?? 'unknown server'}</Code>, from <Code>{target.path}</Code>.
          </p>
        </EmptyState>
      );
  }
}
