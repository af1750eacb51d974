import type { LabStore } from '../store/lab-store';
import { type Prometheus, startPrometheus } from './prometheus';

export interface LabPrometheusOptions {
  store: LabStore;
  dir: string;
  host?: string;
  port?: number;
  /** The gateway's Istio metrics (`gateway.metricsUrl`), scraped as job `istio-ingressgateway`. */
  gatewayMetricsUrl: string;
  scrapeIntervalSeconds?: number;
}

/**
 * The lab's Prometheus: the gateway's Istio metrics plus every pod's `/metrics`. null when no `prometheus` binary
 * is installed or it fails to start (logged): the lab then serves the gateway's JSON window instead.
 */
export async function startLabPrometheus(opts: LabPrometheusOptions): Promise<Prometheus | null> {
  try {
    return await startPrometheus({
      dir: opts.dir,
      host: opts.host,
      port: opts.port,
      store: opts.store,
      scrapeIntervalSeconds: opts.scrapeIntervalSeconds,
      targets: [{ job: 'istio-ingressgateway', url: opts.gatewayMetricsUrl }],
    });
  } catch (err) {
    console.error(`lab: prometheus not started: ${(err as Error).message}`);
    return null;
  }
}
