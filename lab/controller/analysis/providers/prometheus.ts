import type { Metric } from '../../types';
import { evaluateResult } from '../evaluate';
import type { MeasurementOutcome } from './types';

interface PromResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

const toFloat = (s: unknown): number => (typeof s === 'string' ? Number(s) : Number.NaN);
const fmt = (n: number): string =>
  Number.isNaN(n) ? 'NaN' : Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : '-Inf';

/**
 * Argo's `prometheus` provider: an instant query to `/api/v1/query`. A vector becomes an array of floats (so
 * conditions use `result[0]`; an empty vector makes `result[0]` an Error, never a success), a scalar a float.
 */
export async function runPrometheusMetric(
  metric: Metric,
  defaultAddress: string | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<MeasurementOutcome> {
  const prom = metric.provider.prometheus;
  if (!prom) return { phase: 'Error', message: 'no prometheus provider' };
  const address = prom.address ?? defaultAddress;
  if (!address) return { phase: 'Error', message: 'prometheus address is not set' };
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), (prom.timeout ?? 30) * 1000);
  try {
    const url = new URL('/api/v1/query', address.endsWith('/') ? address : `${address}/`);
    url.searchParams.set('query', prom.query);
    const res = await fetchImpl(url, { signal: controller.signal });
    const body = (await res.json().catch(() => ({}))) as PromResponse;
    if (body.status !== 'success') {
      return { phase: 'Error', message: body.error ?? `prometheus answered ${res.status}` };
    }
    const type = body.data?.resultType;
    const raw = body.data?.result;
    let result: unknown;
    let value: string;
    if (type === 'vector' && Array.isArray(raw)) {
      const values = raw.map((s) => toFloat((s as { value?: unknown[] }).value?.[1]));
      result = values;
      value = `[${values.map(fmt).join(',')}]`;
    } else if (type === 'scalar' && Array.isArray(raw)) {
      const n = toFloat(raw[1]);
      result = n;
      value = fmt(n);
    } else {
      return { phase: 'Error', message: `Prometheus metric type not supported: ${type}` };
    }
    return { ...evaluateResult(result, metric), value };
  } catch (e) {
    const err = e as Error;
    return { phase: 'Error', message: err.name === 'AbortError' ? 'query timed out' : err.message };
  } finally {
    clearTimeout(timeout);
  }
}
