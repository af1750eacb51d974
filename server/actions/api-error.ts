import 'server-only';
import { ActionRefusal } from '@/lib/actions/refusal';
import { ApiError } from '@/server/http/api-error';
import { kubeErrorMessage, kubeErrorStatus } from '../kube/client';
import type { ActionRecord } from './action-record';

/** What the audit log keeps of a refusal or failure: its status, code and message. */
export const summaryOf = (e: ApiError): ActionRecord['error'] & object => ({
  status: e.status,
  code: e.code,
  message: e.message,
});

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

/** THE one mapping of an action's failure: refusals as they are, Kubernetes errors keep their status, else 503. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ActionRefusal) return new ApiError(err.status, err.code, err.message);
  const status = kubeErrorStatus(err);
  if (status !== undefined && status >= 400 && status < 600)
    return new ApiError(status, CODES[status] ?? 'kubernetes_error', kubeErrorMessage(err));
  return new ApiError(503, 'kube_unreachable', `Kubernetes API unreachable: ${kubeErrorMessage(err)}`);
}
