import type { z } from 'zod';

/** One bad field of a refused request: what the browser shows beside the field. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * A refusal or failure with its HTTP answer (as the Kubernetes API server's `Status`): the status, a machine code
 * (`not_found`, `invalid_input`, ...), a message that names the field for 4xx, and optional details. Domain and kube
 * code throw it; `errorAnswer` (server/http/errors.ts) turns it into the response, in one place.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Response headers the refusal needs (e.g. `retry-after` on a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Every issue of a failed parse as `{field, message}`; an unexpected field is named by its own name. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: 'is not a known field' }))
      : [{ field: i.path.join('.') || '(root)', message: i.message }],
  );
}

/** 422 naming every bad field of `what` (path, query, body, ...): `invalid body: username: must not be empty`. */
export function invalidInput(error: z.ZodError, what = 'request'): ApiError {
  const details = fieldIssues(error);
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return new ApiError(422, 'invalid_input', `invalid ${what}: ${message}`, details);
}

/** 404 for a missing object, e.g. `rollout demo/webapp not found`. */
export const notFound = (message: string): ApiError => new ApiError(404, 'not_found', message);
