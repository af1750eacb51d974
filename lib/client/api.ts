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

/** The last answer of each URL read with its tag (a page reads a handful of URLs; past 32, the least recently used goes). */
const lastAnswers = new Map<string, { etag: string; body: unknown }>();
const KEPT_ANSWERS = 32;

/**
 * GETs JSON: the body, or the API's error (status 0 for a network failure). A URL read before with a tag is asked
 * again with it (`If-None-Match`); on 304 the very object of the last answer comes back, parsed once, so a repeated
 * read that brings nothing new costs no parse and renders nothing.
 */
export async function getJson<T>(
  url: string,
  signal?: AbortSignal,
): Promise<{ ok: true; data: T } | { ok: false; status: number; error: ApiError }> {
  try {
    const last = lastAnswers.get(url);
    const res = await fetch(url, {
      signal,
      cache: 'no-store',
      headers: last ? { 'if-none-match': last.etag } : undefined,
    });
    if (res.status === 304 && last) {
      // Kept as the most recently used: the answers a page reads again and again are the last to go.
      lastAnswers.delete(url);
      lastAnswers.set(url, last);
      return { ok: true, data: last.body as T };
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) return { ok: false, status: res.status, error: asError(body, res.status) };
    const etag = res.headers.get('etag');
    lastAnswers.delete(url);
    if (etag) {
      lastAnswers.set(url, { etag, body });
      if (lastAnswers.size > KEPT_ANSWERS) lastAnswers.delete(lastAnswers.keys().next().value as string);
    }
    return { ok: true, data: body as T };
  } catch (err) {
    return { ok: false, status: 0, error: { code: 'network', message: (err as Error).message } };
  }
}
