import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** What a client saw when it pushed a large body at the server. */
export interface Upload {
  /** The response's status, or null when the connection ended without one. */
  status: number | null;
  /** The response as received (head and as much body as arrived). */
  response: string;
  /** Body bytes the client's socket accepted (the server read them, or they sit in a socket buffer). */
  sentBytes: number;
  /** The connection was reset or errored (after or instead of a response). */
  reset: boolean;
}

export interface UploadOptions {
  path: string;
  headers?: Record<string, string>;
  /** The body's real length. */
  bytes: number;
  /** `chunked`, a true Content-Length, or a Content-Length that claims fewer bytes than are sent. */
  framing: 'chunked' | 'content-length' | { lyingContentLength: number };
  /** Gives up (and fails) after this long. */
  timeoutMs?: number;
}

const CHUNK = 64 * 1024;

/**
 * Sends a request with a large body over a raw socket, as an attacker's client would: the body goes out chunk by
 * chunk as fast as the socket takes it, and stops as soon as any response byte arrives or the connection closes.
 */
export function upload(baseUrl: string, opts: UploadOptions): Promise<Upload> {
  const url = new URL(baseUrl);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let response = '';
    let sentBytes = 0;
    let reset = false;
    let stopped = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${opts.path} within ${timeoutMs} ms (sent ${sentBytes} bytes)`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      resolve({ status: status ? Number(status) : null, response, sentBytes, reset });
    };
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('error', () => {
      reset = true;
      stopped = true;
    });
    socket.on('end', () => {
      stopped = true;
    });
    socket.on('close', finish);
    const framing =
      opts.framing === 'chunked'
        ? 'Transfer-Encoding: chunked'
        : `Content-Length: ${opts.framing === 'content-length' ? opts.bytes : opts.framing.lyingContentLength}`;
    const head = [
      `POST ${opts.path} HTTP/1.1`,
      `Host: ${url.host}`,
      framing,
      ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ].join('\r\n');
    const chunk = Buffer.alloc(CHUNK, 'a');
    const send = async () => {
      socket.write(head);
      while (!stopped && sentBytes < opts.bytes) {
        const n = Math.min(CHUNK, opts.bytes - sentBytes);
        const data =
          opts.framing === 'chunked'
            ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), chunk.subarray(0, n), Buffer.from('\r\n')])
            : chunk.subarray(0, n);
        const flushed = socket.write(data);
        sentBytes += n;
        if (!flushed)
          await new Promise<void>((r) => {
            const done = () => {
              socket.off('drain', done);
              socket.off('close', done);
              r();
            };
            socket.on('drain', done);
            socket.on('close', done);
          });
      }
      if (!stopped && opts.framing === 'chunked') socket.write('0\r\n\r\n');
      // Everything went out: the server took the whole body. Whatever it answered has arrived by now or soon.
      if (!stopped) setTimeout(() => socket.destroy(), 500).unref();
    };
    socket.once('connect', () => {
      send().catch(() => {
        reset = true;
      });
    });
  });
}

/** A process's resident memory and the bytes it has read through system calls so far (Linux /proc). */
export function processUsage(pid: number): { rssBytes: number; readBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const rss = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  const rchar = /rchar:\s+(\d+)/.exec(io)?.[1];
  if (!rss || !rchar) throw new Error(`no VmRSS/rchar for process ${pid}`);
  return { rssBytes: Number(rss) * 1024, readBytes: Number(rchar) };
}
