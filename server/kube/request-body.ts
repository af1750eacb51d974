import 'server-only';
import { MAX_REQUEST_BODY_BYTES, readBodyWithin } from '@/server/http/body-limit';
import { apiError } from '@/server/http/errors';

export const MAX_BODY_BYTES = MAX_REQUEST_BODY_BYTES;

/**
 * The JSON body of a request, at most `limit` bytes (413 beyond), `undefined` when empty; a Response for errors.
 * Counted while it streams (server/http/body-limit.ts), so a lying or missing Content-Length gets no more in.
 */
export type BodyResult = { ok: true; body: unknown } | { ok: false; response: Response };

export async function readJsonBody(req: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const read = await readBodyWithin(req, limit);
  if (!read.ok) return read;
  const text = Buffer.from(read.bytes).toString('utf8').trim();
  if (!text) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: apiError(400, 'invalid_json', 'the request body is not valid JSON') };
  }
}
