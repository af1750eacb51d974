export { DURATION_BUCKETS_MS } from './istio-metrics';
export { PORT_ANNOTATION } from './routing-table';
export { type Gateway, type GatewayOptions, METRICS_PATH, startGateway, WINDOW_PATH } from './start-gateway';
export type { WindowAnswer } from './window-stats';
