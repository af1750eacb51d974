import type { Metric } from '../../types';
import { evaluateResult } from '../evaluate';
import { jsonPathFind } from '../json-path';
import { BODY_TIMEOUT, goNetError, goUrlError, HEADERS_TIMEOUT } from './go-http-errors';
import { goJsonMarshal } from './go-json';
import type { MeasurementOutcome } from './types';

type Web = NonNullable<Metric['provider']['web']>;

/** Argo's NewWebMetricHttpClient: `timeoutSeconds` when > 0, else 10 s, for the whole exchange (headers and body). */
export function webTimeoutMs(web: Pick<Web, 'timeoutSeconds'>): number {
  const t = Number(web.timeoutSeconds ?? 0);
  return (Number.isFinite(t) && t > 0 ? Math.floor(t) : 10) * 1000;
}

/**
 * Argo's `web` metric provider (metricproviders/webmetric/webmetric.go, v1.9.1): one HTTP request; a
 * transport error, a timeout or a non-2xx status is an Error measurement with Go's message; a 2xx body that is not
 * JSON is a Successful measurement whose value is the body (Argo evaluates no condition then); else the JSONPath's
 * first value goes through the success/failure conditions and is stored as Go's json.Marshal writes it (getValue), so
 * a string verdict is stored `"promote"`, with its quotes.
 */
export async function runWebMetric(
  metric: Metric,
  fetchImpl: typeof fetch = fetch,
): Promise<MeasurementOutcome> {
  const web = metric.provider.web;
  if (!web) return { phase: 'Error', message: 'no web provider' };
  const method = (web.method ?? 'GET').toUpperCase();
  if (web.body && web.jsonBody !== undefined)
    return {
      phase: 'Error',
      message: 'use either Body or JSONBody; both cannot exists for WebMetric payload',
    };
  if ((web.body || web.jsonBody !== undefined) && method === 'GET')
    return {
      phase: 'Error',
      message: 'Body/JSONBody can only be used with POST or PUT WebMetric Method types',
    };
  const headers: Record<string, string> = {};
  for (const h of web.headers ?? []) headers[h.key] = h.value;
  const body = web.jsonBody !== undefined ? JSON.stringify(web.jsonBody) : web.body || undefined;
  if (web.jsonBody !== undefined) headers['Content-Type'] = 'application/json';
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, webTimeoutMs(web));
  try {
    let res: Response;
    try {
      res = await fetchImpl(web.url, { method, headers, body, signal: controller.signal });
    } catch (e) {
      const msg = timedOut ? HEADERS_TIMEOUT : goNetError(e, new URL(web.url));
      return { phase: 'Error', message: goUrlError(method, web.url, msg) };
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => undefined);
      return { phase: 'Error', message: `received non 2xx response code: ${res.status}` };
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      return {
        phase: 'Error',
        message: `Received no bytes in response: ${timedOut ? BODY_TIMEOUT : (e as Error).message}`,
      };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { phase: 'Successful', value: text };
    }
    const found = jsonPathFind(data, web.jsonPath);
    if ('error' in found)
      return { phase: 'Error', message: `Could not find JSONPath in body: ${found.error}` };
    // Conditions see the decoded value (`result == "promote"`); the stored value is its JSON text, quotes and all.
    return { ...evaluateResult(found.value, metric), value: goJsonMarshal(found.value) };
  } finally {
    clearTimeout(timer);
  }
}
