import 'server-only';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ClusterTarget } from '@/lib/cluster-target';

export type { ClusterTarget };

const kubeconfigSchema = z.object({
  'current-context': z.string().optional(),
  contexts: z
    .array(z.object({ name: z.string(), context: z.object({ cluster: z.string() }) }))
    .optional()
    .default([]),
  clusters: z
    .array(z.object({ name: z.string(), cluster: z.object({ server: z.string() }) }))
    .optional()
    .default([]),
});

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Reads KUBECONFIG (first file of the list) or the in-cluster service account, like client-node's loadFromDefault. */
export function resolveClusterTarget(env: Record<string, string | undefined> = process.env): ClusterTarget {
  const first = env.KUBECONFIG?.split(':').find((p) => p.trim() !== '');
  if (first) return readKubeconfig(first);
  if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    return { kind: 'in-cluster', host: env.KUBERNETES_SERVICE_HOST };
  }
  return { kind: 'none' };
}

function readKubeconfig(path: string): ClusterTarget {
  if (!existsSync(path)) return { kind: 'invalid', path, reason: 'the file does not exist' };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { kind: 'invalid', path, reason: `not valid YAML: ${(err as Error).message}` };
  }
  const parsed = kubeconfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'invalid',
      path,
      reason: `field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
    };
  }
  const cfg = parsed.data;
  const context = cfg['current-context'] ?? null;
  const clusterName = cfg.contexts.find((c) => c.name === context)?.context.cluster;
  const server = cfg.clusters.find((c) => c.name === clusterName)?.cluster.server ?? null;
  return { kind: 'kubeconfig', path, context, server };
}
