import type { ProxyConfig } from './ingress-gateway';
import type { RoutingChange } from './routing-table';

/** The lab's main thread → the gateway's thread. */
export type ToGateway =
  | { type: 'change'; change: RoutingChange }
  | { type: 'metrics'; id: number }
  /** The ingress gateway's pod template changed: restart the proxy with these buckets, or go down (null). */
  | { type: 'proxy'; config: ProxyConfig }
  | { type: 'stop' };

/** The gateway's thread → the lab's main thread. */
export type FromGateway =
  | { type: 'ready'; port: number; metricsPort?: number }
  | { type: 'failed'; message: string }
  | { type: 'metrics'; id: number; text: string };
