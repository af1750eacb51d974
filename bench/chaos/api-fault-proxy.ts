/**
 * An HTTPS proxy in front of the lab's API server, for the control center only: it presents the lab's own serving
 * certificate (SAN 127.0.0.1, so the kubeconfig's CA trusts it), passes requests through with their Authorization
 * header and streams responses (watches) as they come. A fault mode makes it answer like a sick kube-apiserver:
 * `500` every request fails with an InternalError Status (open watches are cut: clients must re-list into the
 * fault), `409` every write fails with a Conflict Status, `slow` every request waits 3 s before it is passed on.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { Socket } from 'node:net';
import path from 'node:path';

export type ApiFault = 'none' | '500' | '409' | 'slow';

export interface ApiFaultProxy {
  url: string;
  setFault: (f: ApiFault) => void;
  /** Requests answered by the fault (not passed on), by mode. */
  injected: Record<Exclude<ApiFault, 'none'>, number>;
  close: () => Promise<void>;
}

export const SLOW_MS = 3000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}

export async function startApiFaultProxy(labDir: string, upstream: () => string): Promise<ApiFaultProxy> {
  const pki = path.join(labDir, 'pki');
  const ca = readFileSync(path.join(pki, 'ca.crt'));
  const agent = new https.Agent({ keepAlive: true, ca });
  let fault: ApiFault = 'none';
  const injected = { '500': 0, '409': 0, slow: 0 };
  const open = new Set<Socket>();
  const server = https.createServer(
    { cert: readFileSync(path.join(pki, 'server.crt')), key: readFileSync(path.join(pki, 'server.key')) },
    (req, res) => {
      const fail = (code: number, reason: string, message: string) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(status(code, reason, message));
      };
      if (fault === '500') {
        injected['500']++;
        req.resume();
        return fail(500, 'InternalError', 'Internal error occurred: injected by the chaos bench');
      }
      if (fault === '409' && WRITES.has(req.method ?? 'GET')) {
        injected['409']++;
        req.resume();
        return fail(
          409,
          'Conflict',
          'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      const pass = () => {
        const target = new URL(req.url ?? '/', upstream());
        const up = https.request(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host }, agent },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
            // The API server gone mid-stream (a watch): the client sees the connection drop too, as through a
            // TCP load balancer, and never a stream that silently stops.
            upRes.on('close', () => {
              if (!upRes.complete) res.destroy();
            });
          },
        );
        up.on('error', (err) => {
          if (!res.headersSent) fail(503, 'ServiceUnavailable', `upstream: ${err.message}`);
          else res.destroy();
        });
        res.on('close', () => up.destroy());
        req.pipe(up);
      };
      if (fault === 'slow') {
        injected.slow++;
        const t = setTimeout(pass, SLOW_MS);
        res.on('close', () => clearTimeout(t));
      } else pass();
    },
  );
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    injected,
    setFault: (f) => {
      fault = f;
      // A kube-apiserver that starts failing drops its watch streams; the clients' re-lists then meet the fault.
      if (f === '500') for (const s of open) s.destroy();
    },
    close: async () => {
      for (const s of open) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
