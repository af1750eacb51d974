import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 1, 2.5, 5];

const LABELS = ['version', 'route', 'code'] as const;

export type RequestLabels = { version: string; route: string; code: number };

export type Metrics = {
  registry: Registry;
  observe: (labels: RequestLabels, seconds: number) => void;
};

export function createMetrics(version: string, options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by version, matched route and status code.',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by version, matched route and status code.',
    labelNames: LABELS,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const info = new Gauge({
    name: 'webapp_build_info',
    help: 'Always 1; labelled with the version this process serves.',
    labelNames: ['version'],
    registers: [registry],
  });
  info.set({ version }, 1);

  return {
    registry,
    observe: ({ version: v, route, code }, seconds) => {
      const labels = { version: v, route, code: String(code) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
