import 'server-only';
import { env } from '../config/env';
import { PrometheusSource } from './prometheus-source';
import type { MetricsSource } from './types';
import { WindowEndpointSource } from './window-endpoint-source';

let source: MetricsSource | null | undefined;

/** The configured metrics source: Prometheus when PROMETHEUS_URL is set, else a window endpoint, else none. */
export function metricsSource(): MetricsSource | null {
  if (source === undefined) {
    const e = env();
    if (e.PROMETHEUS_URL) source = new PrometheusSource(e.PROMETHEUS_URL);
    else if (e.METRICS_WINDOW_URL) source = new WindowEndpointSource(e.METRICS_WINDOW_URL);
    else source = null;
  }
  return source;
}
