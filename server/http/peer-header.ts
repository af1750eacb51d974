import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { runtime } from '../runtime/current';

/**
 * The TCP peer of a request, for route handlers (which never see the socket). `next start` only fills in
 * `x-forwarded-for` when the client did not send one (`??=` in next/dist/server/base-server.js), so that header is
 * whatever the client wants. Instead every incoming request gets PEER_HEADER = `<token> <socket address>`, set on
 * the server before Next.js reads the headers; a value the client sent under that name is replaced, and the
 * per-process token tells a value set here from one that slipped through.
 */
export const PEER_HEADER = 'x-control-center-peer';
const INSTALLED = Symbol.for('control-center.peer-header');

/** The per-process token (the runtime's: every bundle and the instrumentation hook see the same one). */
const token = (): string => runtime().peerToken;

/** The header value for a peer address (what the server sets; tests build requests with it). */
export const peerHeaderValue = (address: string): string => `${token()} ${address}`;

/** The peer address of a request's headers when the server set it, else null. */
export function peerAddress(headers: Headers): string | null {
  const v = headers.get(PEER_HEADER);
  const [t, address] = (v ?? '').split(' ');
  return t === token() && address ? address : null;
}

/** Stamps every request of this process's HTTP(S) servers with its peer address (once). */
export function installPeerHeader(): void {
  for (const proto of [http.Server.prototype, https.Server.prototype] as Array<
    { emit: (event: string | symbol, ...args: unknown[]) => boolean } & { [INSTALLED]?: true }
  >) {
    if (Object.hasOwn(proto, INSTALLED)) continue;
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') {
        const req = args[0] as IncomingMessage;
        req.headers[PEER_HEADER] = peerHeaderValue(req.socket?.remoteAddress ?? '');
      }
      return emit.call(this, event, ...args);
    };
    proto[INSTALLED] = true;
  }
}
