export { type LabInfo, labInfo } from './lab-info';
export { type LabPrometheusOptions, startLabPrometheus } from './lab-prometheus';
export {
  type Prometheus,
  type PrometheusOptions,
  prometheusConfig,
  type ScrapeTarget,
  startPrometheus,
} from './prometheus';
