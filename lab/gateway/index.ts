export { ENVOY_DEFAULT_BUCKETS } from './envoy-histogram';
export {
  INGRESS_GATEWAY,
  ingressGatewayObjects,
  SLO_BUCKETS_ANNOTATION_VALUE,
  SLO_DURATION_BUCKETS_MS,
  seedIngressGateway,
} from './ingress-gateway';
export { STATS_HISTOGRAM_BUCKETS_ANNOTATION } from './istio-buckets';
export { PORT_ANNOTATION } from './routing-table';
export { type Gateway, type GatewayOptions, METRICS_PATH, startGateway, WINDOW_PATH } from './start-gateway';
export type { WindowAnswer } from './window-stats';
