import 'server-only';
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { kubeContexts, loadKubeConfig } from './contexts';

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  batch: BatchV1Api;
}

const clients = new Map<string, KubeClients>();

/**
 * One set of API clients per kube context (default: the first configured, else the kubeconfig's current one), from
 * KUBECONFIG or the in-cluster service account (client-node's default).
 */
export function kube(context?: string): KubeClients {
  const ctx = kubeContexts();
  const name = context ?? ctx.defaultName;
  let c = clients.get(name);
  if (!c) {
    c = clientsFor(ctx.explicit ? loadKubeConfig(name) : loadKubeConfig());
    clients.set(name, c);
  }
  return c;
}

/** API clients for a given KubeConfig (tests point these at the lab). */
export function clientsFor(kc: KubeConfig): KubeClients {
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    batch: kc.makeApiClient(BatchV1Api),
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
