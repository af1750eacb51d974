import 'server-only';
import { apiError } from '../http/errors';
import { storeFailureReason } from './failure-reason';

/** The 503 of a read the store could not answer (logged; the client may try again). */
export function storeUnavailable(err: unknown, what: string): Response {
  const message = (err as Error).message;
  console.error(`store: could not read ${what}:`, message);
  return apiError(
    503,
    'store_unavailable',
    `the store cannot be read (${storeFailureReason(err)}): try again later`,
  );
}
