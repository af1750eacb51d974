import 'server-only';
import { env } from '../config/env';
import { kubeContexts } from '../kube/contexts';
import { PrometheusSource } from './prometheus-source';
import type { MetricsSource } from './types';
import { WindowEndpointSource } from './window-endpoint-source';

const sources = new Map<string, MetricsSource | null>();

/**
 * The metrics source of a kube context: its own Prometheus when CONTROL_CENTER_CONFIG gives the context a
 * `prometheusUrl`, else PROMETHEUS_URL, else a window endpoint (METRICS_WINDOW_URL), else none.
 */
export function metricsSource(context?: string): MetricsSource | null {
  const ctx = kubeContexts();
  const name = context ?? ctx.defaultName;
  if (!sources.has(name)) {
    const e = env();
    const own = ctx.list.find((c) => c.name === name)?.prometheusUrl;
    const url = own ?? e.PROMETHEUS_URL;
    if (url) sources.set(name, new PrometheusSource(url));
    else if (e.METRICS_WINDOW_URL) sources.set(name, new WindowEndpointSource(e.METRICS_WINDOW_URL));
    else sources.set(name, null);
  }
  return sources.get(name) ?? null;
}
