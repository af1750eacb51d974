import 'server-only';
import type { KubeContextInfo } from '../kube/contexts';
import { PrometheusSource } from './prometheus-source';
import type { MetricsSource } from './types';
import { WindowEndpointSource } from './window-endpoint-source';

/**
 * The metrics source of a kube context: its own Prometheus when CONTROL_CENTER_CONFIG gives the context a
 * `prometheusUrl`, else PROMETHEUS_URL, else a window endpoint (METRICS_WINDOW_URL), else none. The runtime makes one
 * per context.
 */
export function metricsSourceFor(
  context: KubeContextInfo | undefined,
  e: { PROMETHEUS_URL?: string; METRICS_WINDOW_URL?: string },
): MetricsSource | null {
  const url = context?.prometheusUrl ?? e.PROMETHEUS_URL;
  if (url) return new PrometheusSource(url);
  if (e.METRICS_WINDOW_URL) return new WindowEndpointSource(e.METRICS_WINDOW_URL);
  return null;
}
