import { selector } from '../../lib/promql/escape';
import type { CounterSamples } from './holds';

/** The Istio request counters of one Service, as the gateway (reporter="source") exports them. */
export function canaryRequestsSelector(namespace: string, service: string): string {
  return `istio_requests_total${selector({
    reporter: 'source',
    destination_service_namespace: namespace,
    destination_service_name: service,
  })}`;
}

interface MatrixAnswer {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; values: [number, string][] }>;
  };
}

/**
 * The raw samples of every series of the Service's request counter between `fromMs` and `toMs` (one instant query
 * with a range selector: the samples as scraped, not rate()s), one CounterSamples per series.
 */
export async function counterSeries(
  prometheusUrl: string,
  namespace: string,
  service: string,
  fromMs: number,
  toMs: number,
): Promise<CounterSamples[]> {
  const seconds = Math.max(1, Math.ceil((toMs - fromMs) / 1000));
  const query = `${canaryRequestsSelector(namespace, service)}[${seconds}s]`;
  const url = new URL('/api/v1/query', prometheusUrl);
  url.searchParams.set('query', query);
  url.searchParams.set('time', (toMs / 1000).toFixed(3));
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await res
    .json()
    .catch(() => ({ status: 'error', error: `HTTP ${res.status}` }))) as MatrixAnswer;
  if (body.status !== 'success' || body.data?.resultType !== 'matrix')
    throw new Error(`Prometheus ${prometheusUrl}: ${body.error ?? `HTTP ${res.status}`}`);
  return body.data.result.map((r) => r.values.map(([t, v]) => ({ at: t * 1000, value: Number(v) })));
}
