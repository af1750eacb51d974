import 'server-only';
import { ApiError } from '../http/api-error';
import { storeFailureReason } from './failure-reason';

/** The 503 of a read the store could not answer, to throw (logged here; the client may try again). */
export function storeUnavailable(err: unknown, what: string): ApiError {
  const message = (err as Error).message;
  console.error(`store: could not read ${what}:`, message);
  return new ApiError(
    503,
    'store_unavailable',
    `the store cannot be read (${storeFailureReason(err)}): try again later`,
  );
}
