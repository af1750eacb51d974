import 'server-only';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  createConfiguration,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { pooledAgent } from './agent-pool';

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  batch: BatchV1Api;
}

/**
 * The KubeConfig's credentials on every request (re-read each time: tokens and exec plugins rotate), sent over a pooled
 * keep-alive connection instead of the new agent, TCP connect and TLS handshake client-node makes per request.
 */
class PooledAuthentication implements SecurityAuthentication {
  constructor(private readonly kc: KubeConfig) {}
  getName(): string {
    return 'kubeconfig (pooled connections)';
  }
  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.kc.applySecurityAuthentication(context);
    const agent = context.getAgent();
    if (agent) context.setAgent(pooledAgent(agent));
  }
}

/** API clients for a given KubeConfig (tests point these at the lab); what `kc.makeApiClient` builds, pooled. */
export function clientsFor(kc: KubeConfig): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster in the kubeconfig');
  const config = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: new PooledAuthentication(kc) },
  });
  return {
    kc,
    core: new CoreV1Api(config),
    apps: new AppsV1Api(config),
    custom: new CustomObjectsApi(config),
    batch: new BatchV1Api(config),
  };
}

/** The HTTP status of a client-node error (ApiException carries `code`), or undefined for transport errors. */
export function kubeErrorStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The message of a Kubernetes Status in a client-node error body, else the error's own message. */
export function kubeErrorMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      // not JSON: fall through
    }
  }
  return (err as Error).message ?? String(err);
}
