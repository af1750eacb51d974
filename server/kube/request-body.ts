import 'server-only';
import { apiError } from '@/server/http/errors';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The JSON body of a request, at most `limit` bytes (413 beyond), `undefined` when empty; a Response for errors.
 * Reads the stream itself so a lying or missing Content-Length cannot get more than `limit` bytes in.
 */
export type BodyResult = { ok: true; body: unknown } | { ok: false; response: Response };

export async function readJsonBody(req: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(req.headers.get('content-length'));
  const tooLarge = (): BodyResult => ({
    ok: false,
    response: apiError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`),
  });
  if (Number.isFinite(declared) && declared > limit) return tooLarge();
  if (!req.body) return { ok: true, body: undefined };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: apiError(400, 'invalid_json', 'the request body is not valid JSON') };
  }
}
