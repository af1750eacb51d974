import 'server-only';
import { apiError } from '@/server/http/errors';
import { ActionError } from './action-types';
import { kubeErrorMessage, kubeErrorStatus } from './client';

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

/** The API error for a failed action or read: refusals as they are, Kubernetes errors keep their status. */
export function errorResponse(err: unknown): Response {
  if (err instanceof ActionError) return apiError(err.status, err.code, err.message);
  const status = kubeErrorStatus(err);
  if (status !== undefined && status >= 400 && status < 600)
    return apiError(status, CODES[status] ?? 'kubernetes_error', kubeErrorMessage(err));
  return apiError(503, 'kube_unreachable', `Kubernetes API unreachable: ${kubeErrorMessage(err)}`);
}

/** `{status, code, message}` of an error, for the audit hook. */
export async function errorSummary(
  res: Response,
): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.clone().json()) as { error?: { code?: string; message?: string } };
  return { status: res.status, code: body.error?.code ?? 'error', message: body.error?.message ?? '' };
}
