/** Where the control center would find a cluster, as far as configuration tells (no network call). */
export type ClusterTarget =
  | { kind: 'none' }
  | { kind: 'in-cluster'; host: string }
  | { kind: 'kubeconfig'; path: string; context: string | null; server: string | null }
  | { kind: 'invalid'; path: string; reason: string };
