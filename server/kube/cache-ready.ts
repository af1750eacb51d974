import 'server-only';
import { ApiError } from '@/server/http/api-error';
import { runtime } from '../runtime/current';
import type { InformerRegistry } from './registry';

/**
 * The informer registry of a kube context (default: the default one) once its cache is filled; throws a 503 naming
 * the last error while the API is unreachable.
 */
export async function readyRegistry(timeoutMs = 5000, context?: string): Promise<InformerRegistry> {
  const rt = runtime();
  const reg = rt.context(context).informers;
  if (await reg.waitForSync(timeoutMs)) return reg;
  const c = reg.connectivity();
  throw new ApiError(
    503,
    'kube_unreachable',
    `Kubernetes API${context && rt.contexts.several ? ` (context ${context})` : ''} unreachable${c.lastError ? `: ${c.lastError}` : ' (the cache is still filling)'}`,
  );
}
