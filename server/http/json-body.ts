import 'server-only';
import { ApiError } from './api-error';
import { MAX_REQUEST_BODY_BYTES, readBodyWithin } from './body-limit';

/**
 * The JSON body of a request, `undefined` when empty; at most `limit` bytes, counted while it streams
 * (server/http/body-limit.ts), so a lying or missing Content-Length gets no more in. Throws the 413 beyond the
 * limit and a 400 `invalid_json` for a body that is not JSON.
 */
export async function readJson(req: Request, limit = MAX_REQUEST_BODY_BYTES): Promise<unknown> {
  const read = await readBodyWithin(req, limit);
  if (!read.ok) throw read.error;
  const text = Buffer.from(read.bytes).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
  }
}
