/**
 * The gateway's own thread: its HTTP servers and routing table, fed with routing-object changes by the lab's main
 * thread, so proxied requests never wait behind the API server, the controller or the store's writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromGateway, ToGateway } from './gateway-messages';
import { type GatewayServer, type GatewayServerOptions, serveGateway } from './gateway-server';
import type { ProxyConfig } from './ingress-gateway';
import { RoutingTable } from './routing-table';

const port = parentPort;
if (!port) throw new Error('gateway-worker runs only as a worker thread');

const table = new RoutingTable();
let server: GatewayServer | undefined;
/** A proxy change that came before the servers listened (applied once they do). */
let early: { config: ProxyConfig } | undefined;
const send = (m: FromGateway) => port.postMessage(m);

port.on('message', (m: ToGateway) => {
  if (m.type === 'change') table.apply(m.change);
  else if (m.type === 'metrics') send({ type: 'metrics', id: m.id, text: server?.metricsText() ?? '' });
  else if (m.type === 'proxy') {
    if (server) server.setProxy(m.config);
    else early = { config: m.config };
  } else if (m.type === 'crash') throw new Error('crash requested (LAB_CHAOS)');
  else if (m.type === 'stop') void (server?.close() ?? Promise.resolve()).finally(() => port.close());
});

serveGateway(table, workerData as GatewayServerOptions).then(
  (s) => {
    server = s;
    if (early) s.setProxy(early.config);
    send({ type: 'ready', port: s.port, metricsPort: s.metricsPort });
  },
  (err: NodeJS.ErrnoException) => {
    send({ type: 'failed', message: err.message, code: err.code });
    port.close();
  },
);
