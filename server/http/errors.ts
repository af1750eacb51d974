import 'server-only';
import { ApiError } from './api-error';

/**
 * THE ONE PLACE where an error becomes an HTTP answer (DESIGN.md §3): `{error: {code, message, details?}}` with the
 * error's status. An `ApiError` answers as it says; anything else is a 500 that says nothing of its cause (logged
 * here, never sent: no stack or internal message reaches the browser).
 */
export function errorAnswer(err: unknown, where = 'the API'): Response {
  if (!(err instanceof ApiError)) {
    console.error(`api: unexpected failure in ${where}:`, err);
    return errorAnswer(
      new ApiError(500, 'internal', 'internal error: the request failed (see the server log)'),
    );
  }
  const res = Response.json(
    {
      error: {
        code: err.code,
        message: err.message,
        ...(err.details === undefined ? {} : { details: err.details }),
      },
    },
    { status: err.status, headers: { 'cache-control': 'no-store' } },
  );
  for (const [k, v] of Object.entries(err.headers)) res.headers.set(k, v);
  return res;
}

/** Query parameters as a plain object (the last value of a repeated key wins). */
export function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
