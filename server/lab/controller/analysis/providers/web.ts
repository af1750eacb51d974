import type { Metric } from '../../types';
import { evaluateResult } from '../evaluate';
import { jsonPathGet } from '../json-path';
import type { MeasurementOutcome } from './types';

/** Argo's `web` metric provider: one HTTP request, JSON body, a JSONPath into it, then the conditions. */
export async function runWebMetric(
  metric: Metric,
  fetchImpl: typeof fetch = fetch,
): Promise<MeasurementOutcome> {
  const web = metric.provider.web;
  if (!web) return { phase: 'Error', message: 'no web provider' };
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), (web.timeoutSeconds ?? 10) * 1000);
  try {
    const headers: Record<string, string> = {};
    for (const h of web.headers ?? []) headers[h.key] = h.value;
    let body: string | undefined = web.body;
    if (web.jsonBody !== undefined) {
      body = JSON.stringify(web.jsonBody);
      headers['Content-Type'] ??= 'application/json';
    }
    const method = (web.method ?? 'GET').toUpperCase();
    const res = await fetchImpl(web.url, {
      method,
      headers,
      body: method === 'GET' ? undefined : body,
      signal: controller.signal,
    });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) {
      return { phase: 'Error', message: `received non 2xx response code: ${res.status}` };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { phase: 'Error', message: `could not parse JSON body: ${text.slice(0, 200)}` };
    }
    const value = jsonPathGet(data, web.jsonPath);
    if (value === undefined) return { phase: 'Error', message: `${web.jsonPath ?? '{$}'} is not found` };
    const valueStr = typeof value === 'string' ? value : JSON.stringify(value);
    const verdict = evaluateResult(value, metric);
    return { ...verdict, value: valueStr };
  } catch (e) {
    const err = e as Error;
    return { phase: 'Error', message: err.name === 'AbortError' ? 'request timed out' : err.message };
  } finally {
    clearTimeout(timeout);
  }
}
