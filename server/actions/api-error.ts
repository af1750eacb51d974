import 'server-only';
import type { z } from 'zod';
import { ActionRefusal } from '@/lib/actions/refusal';
import { ApiError as HttpApiError, invalidInput } from '@/server/http/api-error';
import { apiError } from '@/server/http/errors';
import { kubeErrorMessage, kubeErrorStatus } from '../kube/client';

/**
 * The action route's refusal: the route kernel's ApiError (server/http/api-error.ts, answered by `errorAnswer` in one
 * place) with what the action code needs besides: an answer some helper already built, and the audit's summary.
 */
export class ApiError extends HttpApiError {
  /** An error answer some helper already built (its status and its `{error}` body). */
  static async fromResponse(res: Response): Promise<ApiError> {
    const body = (await res.clone().json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    return new ApiError(
      res.status,
      body.error?.code ?? 'error',
      body.error?.message ?? '',
      body.error?.details,
    );
  }

  /** 422 naming every bad field of `what` (an unexpected field by its own name). */
  static invalid(error: z.ZodError, what: string): ApiError {
    const e = invalidInput(error, what);
    return new ApiError(e.status, e.code, e.message, e.details);
  }

  get summary(): { status: number; code: string; message: string } {
    return { status: this.status, code: this.code, message: this.message };
  }

  response(): Response {
    return apiError(this.status, this.code, this.message, this.details);
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  422: 'invalid_input',
  429: 'too_many_requests',
};

/** THE one mapping of the action route: refusals as they are, Kubernetes errors keep their status, else 503. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ActionRefusal) return new ApiError(err.status, err.code, err.message);
  const status = kubeErrorStatus(err);
  if (status !== undefined && status >= 400 && status < 600)
    return new ApiError(status, CODES[status] ?? 'kubernetes_error', kubeErrorMessage(err));
  return new ApiError(503, 'kube_unreachable', `Kubernetes API unreachable: ${kubeErrorMessage(err)}`);
}
