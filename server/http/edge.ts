import 'server-only';
import {
  PAGE_BODY_PATH,
  PAGE_METHODS,
  pageMethodRefusal,
  strictTransportSecurity,
} from '@/lib/security-headers';
import { env } from '@/server/config/env';
import { ApiError } from './api-error';
import { declaredTooLarge, MAX_REQUEST_BODY_BYTES, stopReading, tooLargeError } from './body-limit';
import { errorAnswer } from './errors';

/** The header React's Server Function client sends; this server has none, and no API route takes one. */
export const ACTION_HEADER = 'next-action';

/**
 * What every API response gets at the border, before and after its route: a Server Function call and a body
 * declared larger than any route takes are refused unread; whatever body the route left unread is not read
 * after the answer either; HSTS goes on when the public URL (AUTH_URL) is https. Page requests with a body,
 * rewritten here by next.config.ts, get the pages' refusal.
 */
export async function atTheEdge(req: Request, route: () => Promise<Response>): Promise<Response> {
  const hsts = strictTransportSecurity(env().AUTH_URL);
  // A page request with a body, rewritten here by next.config.ts (the handler sees the page's own URL): pages
  // take none. Route handlers live under /api/ only, so any other path is such a request.
  const { pathname } = new URL(req.url);
  if (!pathname.startsWith('/api/') || pathname === PAGE_BODY_PATH) {
    stopReading(req);
    return pageMethodRefusal(PAGE_METHODS.includes(req.method) ? 400 : 405, hsts);
  }
  let res: Response;
  if (req.headers.has(ACTION_HEADER))
    res = errorAnswer(
      new ApiError(
        400,
        'server_function_refused',
        'this server has no Server Functions: requests with a Next-Action header are refused',
      ),
    );
  else if (declaredTooLarge(req, MAX_REQUEST_BODY_BYTES))
    res = errorAnswer(tooLargeError(MAX_REQUEST_BODY_BYTES));
  else res = await route();
  stopReading(req);
  if (!hsts) return res;
  try {
    res.headers.set('strict-transport-security', hsts);
    return res;
  } catch {
    // immutable headers (a fetched response): copy it
    const copy = new Response(res.body, res);
    copy.headers.set('strict-transport-security', hsts);
    return copy;
  }
}
