import 'server-only';
import type { z } from 'zod';

/** The API's error shape (DESIGN.md §3): `{error: {code, message, details?}}` with the right status. */
export function apiError(status: number, code: string, message: string, details?: unknown): Response {
  return Response.json(
    { error: { code, message, ...(details === undefined ? {} : { details }) } },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}

/** 422 naming every bad field (an unexpected field by its own name). */
export function validationError(error: z.ZodError, what = 'request'): Response {
  const details = error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: 'is not a known field' }))
      : [{ field: i.path.join('.') || '(root)', message: i.message }],
  );
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return apiError(422, 'invalid_input', `invalid ${what}: ${message}`, details);
}

/** Query parameters as a plain object (the last value of a repeated key wins). */
export function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
