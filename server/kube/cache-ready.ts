import 'server-only';
import { apiError } from '@/server/http/errors';
import { type InformerRegistry, informers } from './registry';

/** The informer registry once its cache is filled, or a 503 naming the last error while the API is unreachable. */
export async function readyRegistry(timeoutMs = 5000): Promise<InformerRegistry | Response> {
  const reg = informers();
  if (await reg.waitForSync(timeoutMs)) return reg;
  const c = reg.connectivity();
  return apiError(
    503,
    'kube_unreachable',
    `Kubernetes API unreachable${c.lastError ? `: ${c.lastError}` : ' (the cache is still filling)'}`,
  );
}
