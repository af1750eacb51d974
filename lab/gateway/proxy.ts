import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Endpoint } from './routing-table';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export type ForwardResult =
  | { kind: 'response'; status: number }
  | { kind: 'timeout' }
  | { kind: 'failed'; retryable: boolean; error: Error };

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const EMPTY = Buffer.alloc(0);

export function readBody(req: http.IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  // No body announced (a plain GET): don't wait a turn of the event loop for 'end'.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface ForwardInput {
  agent: http.Agent;
  endpoint: Endpoint;
  host: string;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  path: string;
  body: Buffer;
  attempt: number;
  timeoutMs?: number;
}

/**
 * One attempt to the pod. Before the pod's response headers arrive nothing is written to the client, so a connection
 * failure (a pod that just went away) can be retried on another endpoint.
 */
export function forward(input: ForwardInput): Promise<ForwardResult> {
  const { req, res, endpoint, body } = input;
  const headers = withoutHopByHop(req.headers);
  if (body.length) headers['content-length'] = body.length;
  else delete headers['content-length'];
  const remote = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for']
    ? `${req.headers['x-forwarded-for']}, ${remote}`
    : remote;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-request-id'] ??= randomUUID();
  headers['x-envoy-attempt-count'] = String(input.attempt);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ForwardResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const up = http.request({
      host: input.host,
      port: endpoint.port,
      method: req.method,
      path: input.path,
      headers,
      agent: input.agent,
    });
    const onClientGone = () => {
      if (!res.writableFinished) up.destroy();
    };
    res.on('close', onClientGone);
    let timer: NodeJS.Timeout | undefined;
    if (input.timeoutMs) {
      timer = setTimeout(() => {
        if (!res.headersSent) {
          up.destroy();
          done({ kind: 'timeout' });
        }
      }, input.timeoutMs);
    }
    up.on('response', (upRes) => {
      clearTimeout(timer);
      const out = withoutHopByHop(upRes.headers);
      out['x-envoy-upstream-service-time'] = String(Math.round(performance.now() - started));
      out.server = 'istio-envoy';
      res.writeHead(upRes.statusCode ?? 502, out);
      relay(upRes, res);
      upRes.on('error', () => res.destroy());
      upRes.on('end', () => done({ kind: 'response', status: upRes.statusCode ?? 502 }));
      res.on('close', () => done({ kind: 'response', status: upRes.statusCode ?? 502 }));
    });
    up.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      res.off('close', onClientGone);
      if (res.headersSent) {
        res.destroy();
        done({ kind: 'response', status: res.statusCode });
        return;
      }
      const code = error.code ?? '';
      const connectFailed = code === 'ECONNREFUSED';
      const retryable =
        connectFailed ||
        ((RETRYABLE.has(code) || error.message === 'socket hang up') && IDEMPOTENT.has(req.method ?? 'GET'));
      done({ kind: 'failed', retryable, error });
    });
    up.end(body);
  });
}

function withoutHopByHop(from: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const k in from) {
    const v = from[k];
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  return out;
}

/**
 * Streams the pod's body to the client like `pipe`, but what arrives in one turn of the event loop leaves in one write:
 * the headers, the body and (when the pod's response ended) the final chunk, where `pipe` writes the end separately and
 * the client wakes up twice for one response.
 */
function relay(from: http.IncomingMessage, to: http.ServerResponse): void {
  let corked = false;
  const uncork = () => {
    corked = false;
    to.uncork();
  };
  from.on('data', (chunk: Buffer) => {
    if (!corked) {
      corked = true;
      to.cork();
      setImmediate(uncork);
    }
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
}
