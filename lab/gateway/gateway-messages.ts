import type { ProxyConfig } from './ingress-gateway';
import type { RoutingChange } from './routing-table';

/** The lab's main thread → the gateway's thread. */
export type ToGateway =
  | { type: 'change'; change: RoutingChange }
  | { type: 'metrics'; id: number }
  /** The ingress gateway's pod template changed: restart the proxy with these buckets, or go down (null). */
  | { type: 'proxy'; config: ProxyConfig }
  | { type: 'stop' }
  /** Chaos testing (LAB_CHAOS=1): the thread dies of an uncaught error, as a crashing proxy would. */
  | { type: 'crash' };

/** The gateway's thread → the lab's main thread. */
export type FromGateway =
  | { type: 'ready'; port: number; metricsPort?: number }
  /** `code`: the listen error's code (EADDRINUSE while the old thread's port is not free yet). */
  | { type: 'failed'; message: string; code?: string }
  | { type: 'metrics'; id: number; text: string };
