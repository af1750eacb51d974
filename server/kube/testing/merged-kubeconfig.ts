/** Test support: several single-cluster kubeconfigs (a lab's each) as one kubeconfig with one context per cluster. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

interface OneCluster {
  clusters: Array<{ cluster: unknown }>;
  users: Array<{ user: unknown }>;
}

/** Writes `file` with a context (and a cluster and user of that name) per `[name, kubeconfig]`; the first is current. */
export function writeMergedKubeconfig(file: string, entries: Array<[string, string]>): string {
  const clusters: unknown[] = [];
  const users: unknown[] = [];
  const contexts: unknown[] = [];
  for (const [name, kubeconfig] of entries) {
    const one = parse(readFileSync(kubeconfig, 'utf8')) as OneCluster;
    clusters.push({ name, cluster: one.clusters[0]?.cluster });
    users.push({ name, user: one.users[0]?.user });
    contexts.push({ name, context: { cluster: name, user: name } });
  }
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters,
    users,
    contexts,
    'current-context': entries[0]?.[0],
  };
  writeFileSync(file, stringify(merged));
  return file;
}
