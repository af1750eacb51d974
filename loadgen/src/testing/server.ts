// Test helper (not built into dist): a node:http server on 127.0.0.1 with a random port that
// records what it sees. A scripted target, not the webapp: the tests set exact per-request latencies, resets and
// silence, and read arrival times as the server saw them (against the webapp: npm run bench:loadgen).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests received so far. */
  count(): number;
  /** Arrival times (ms since server start) of every request. */
  arrivals: number[];
  /** Highest number of requests in progress at once. */
  maxInflight(): number;
  /** Request headers of every request. */
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

export type Handler = (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Start a server; `handler` gets the 1-based index of each request. */
export async function startServer(handler: Handler): Promise<TestServer> {
  let n = 0;
  let inflight = 0;
  let maxInflight = 0;
  const t0 = performance.now();
  const arrivals: number[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    n++;
    arrivals.push(performance.now() - t0);
    headers.push(req.headers);
    inflight++;
    if (inflight > maxInflight) maxInflight = inflight;
    res.on('close', () => {
      inflight--;
    });
    req.resume();
    handler(n, req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    count: () => n,
    arrivals,
    maxInflight: () => maxInflight,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export const json = (res: http.ServerResponse, status: number, body: unknown, delayMs = 0): void => {
  const send = (): void => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
};
