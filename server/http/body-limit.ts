import 'server-only';
import { ApiError } from './api-error';

/** The largest request body any API route takes (JSON actions; next-auth's forms take less). */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** The body, or the 413 refusal to throw. */
export type LimitedBody = { ok: true; bytes: Uint8Array } | { ok: false; error: ApiError };

/** 413, naming the limit. */
export function tooLargeError(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`);
}

const refused = (limit: number): LimitedBody => ({ ok: false, error: tooLargeError(limit) });

/** The request says (Content-Length) that its body is larger than `limit`. */
export function declaredTooLarge(req: Request, limit: number): boolean {
  const declared = Number(req.headers.get('content-length') ?? 0);
  return !Number.isFinite(declared) || declared > limit;
}

/**
 * Stops reading a body that will not be used. Left alone, Node's HTTP server reads a body nobody read to its end
 * after the response (to keep the connection), however long it is; once reading has begun, it leaves the rest in
 * the socket and closes the connection when it idles. So: start one read, then cancel.
 */
export function stopReading(req: Request): void {
  if (!req.body || req.bodyUsed) return;
  try {
    const reader = req.body.getReader();
    reader.read().catch(() => undefined);
    reader.cancel().catch(() => undefined);
  } catch {
    // already locked by a reader of its own: that reader decides
  }
}

/**
 * The body, at most `limit` bytes, counted while it streams: a declared Content-Length above the limit is refused
 * before anything is read, and a chunked body (or one without Content-Length) is cancelled at the first chunk past
 * the limit. Nothing beyond `limit` plus one chunk is ever held.
 */
export async function readBodyWithin(req: Request, limit: number): Promise<LimitedBody> {
  if (declaredTooLarge(req, limit)) {
    stopReading(req);
    return refused(limit);
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: a cancel may wait for the client's next chunk, and the answer must not.
      reader.cancel().catch(() => undefined);
      return refused(limit);
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
