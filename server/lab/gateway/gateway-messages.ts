import type { RoutingChange } from './routing-table';

/** The lab's main thread → the gateway's thread. */
export type ToGateway =
  | { type: 'change'; change: RoutingChange }
  | { type: 'metrics'; id: number }
  | { type: 'stop' };

/** The gateway's thread → the lab's main thread. */
export type FromGateway =
  | { type: 'ready'; port: number; metricsPort?: number }
  | { type: 'failed'; message: string }
  | { type: 'metrics'; id: number; text: string };
