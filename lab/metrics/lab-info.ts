/** What the composer serves at `GET /lab/v1/info`: where the lab's metrics can be read. */
export interface LabInfo {
  /** 'prometheus' when a Prometheus runs (query it with Istio PromQL); 'window' = only the gateway's JSON window. */
  metrics: 'prometheus' | 'window';
  prometheusUrl?: string;
  gatewayUrl: string;
  /** The gateway's Istio metrics in Prometheus text format. */
  gatewayMetricsUrl: string;
  /** `GET <windowUrl>?namespace=demo&service=webapp-canary&since=<unix s>` → cumulative counts (durations in ms). */
  windowUrl: string;
}

export function labInfo(opts: {
  gatewayUrl: string;
  prometheusUrl?: string | null;
  gatewayMetricsUrl?: string;
}): LabInfo {
  const gatewayUrl = opts.gatewayUrl.replace(/\/+$/, '');
  return {
    metrics: opts.prometheusUrl ? 'prometheus' : 'window',
    ...(opts.prometheusUrl ? { prometheusUrl: opts.prometheusUrl } : {}),
    gatewayUrl,
    gatewayMetricsUrl: opts.gatewayMetricsUrl ?? `${gatewayUrl}/stats/prometheus`,
    windowUrl: `${gatewayUrl}/lab/v1/window`,
  };
}
