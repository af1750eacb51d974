import type { ActionName } from '@/lib/actions/catalogue';
import { CSRF_HEADER, CSRF_VALUE } from '@/lib/auth/policy';
import { rolloutApiUrl } from './rollout-urls';

export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

export type ActionOutcome = { ok: true; status: number } | { ok: false; status: number; error: ApiError };

const asError = (body: unknown, status: number): ApiError => {
  const e = (body as { error?: Partial<ApiError> } | null)?.error;
  return {
    code: typeof e?.code === 'string' ? e.code : `http_${status}`,
    message: typeof e?.message === 'string' ? e.message : `the control center answered HTTP ${status}`,
    details: e?.details,
  };
};

/** POSTs a rollout action; never throws (a network failure is an outcome too). */
export async function postAction(
  namespace: string,
  name: string,
  action: ActionName,
  body: unknown = {},
  context?: string,
): Promise<ActionOutcome> {
  try {
    const res = await fetch(rolloutApiUrl(namespace, name, action, context), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_VALUE },
      body: JSON.stringify(body),
    });
    if (res.ok) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: asError(await res.json().catch(() => null), res.status) };
  } catch (err) {
    return {
      ok: false,
      status: 0,
      error: { code: 'network', message: `the control center is unreachable: ${(err as Error).message}` },
    };
  }
}

/** GETs JSON: the body, or the API's error (status 0 for a network failure). */
export async function getJson<T>(
  url: string,
  signal?: AbortSignal,
): Promise<{ ok: true; data: T } | { ok: false; status: number; error: ApiError }> {
  try {
    const res = await fetch(url, { signal, cache: 'no-store' });
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return { ok: true, data: body as T };
    return { ok: false, status: res.status, error: asError(body, res.status) };
  } catch (err) {
    return { ok: false, status: 0, error: { code: 'network', message: (err as Error).message } };
  }
}
