import 'server-only';
import { ApiError } from '@/server/http/api-error';
import { MAX_REQUEST_BODY_BYTES } from '@/server/http/body-limit';
import { errorAnswer } from '@/server/http/errors';
import { readJson } from '@/server/http/json-body';

export const MAX_BODY_BYTES = MAX_REQUEST_BODY_BYTES;

/**
 * The JSON body of a request as a result (server/http/json-body.ts `readJson` throws instead): the body,
 * `undefined` when empty, or the 413/400 answer.
 */
export type BodyResult = { ok: true; body: unknown } | { ok: false; response: Response };

export async function readJsonBody(req: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  try {
    return { ok: true, body: await readJson(req, limit) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, response: errorAnswer(err) };
    throw err;
  }
}
