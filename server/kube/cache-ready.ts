import 'server-only';
import { ApiError } from '@/server/http/api-error';
import { kubeContexts } from './contexts';
import { type InformerRegistry, informers } from './registry';

/**
 * The informer registry of a kube context (default: the default one) once its cache is filled; throws a 503 naming
 * the last error while the API is unreachable.
 */
export async function readyRegistry(timeoutMs = 5000, context?: string): Promise<InformerRegistry> {
  const reg = informers(context);
  if (await reg.waitForSync(timeoutMs)) return reg;
  const c = reg.connectivity();
  throw new ApiError(
    503,
    'kube_unreachable',
    `Kubernetes API${context && kubeContexts().several ? ` (context ${context})` : ''} unreachable${c.lastError ? `: ${c.lastError}` : ' (the cache is still filling)'}`,
  );
}
