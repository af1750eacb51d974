import http from 'node:http';

/** One SSE message as it arrived: its event name, its data (parsed JSON) and when its bytes came in. */
export interface Arrived {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: the bench walks the JSON freely
  data: any;
  /** performance.now() when the chunk that completed the message was read off the socket. */
  at: number;
}

/**
 * A lean live-stream reader for many streams in one process: plain node:http (no fetch, no web streams, no timer per
 * read). A chunk is only stamped and kept when it arrives; it is parsed when `until` next looks, after the round of
 * socket reads it came in, so one process reading 500 streams stamps each stream's bytes when they arrive, not after
 * the other streams' parsing. Bytes are counted as they come.
 */
export class StreamClient {
  bytes = 0;
  private buffer = '';
  private readonly chunks: Array<{ text: string; at: number }> = [];
  private readonly inbox: Arrived[] = [];
  private waiter: (() => void) | null = null;
  private ended: Error | null = null;
  private waking: NodeJS.Immediate | undefined;

  private constructor(private readonly req: http.ClientRequest) {}

  /** Opens `url` (http, loopback) with `headers`; resolves once the response headers are in (HTTP 200). */
  static open(url: string, headers: Record<string, string>): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
      const client = new StreamClient(req);
      req.once('error', (err) => {
        client.end(err);
        reject(err);
      });
      req.once('response', (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.once('end', () => reject(new Error(`stream: HTTP ${res.statusCode} ${body}`)));
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.take(chunk, performance.now()));
        res.once('end', () => client.end(new Error('the stream ended')));
        res.once('error', (err) => client.end(err));
        resolve(client);
      });
    });
  }

  private take(chunk: string, at: number): void {
    this.bytes += Buffer.byteLength(chunk);
    this.chunks.push({ text: chunk, at });
    this.wake();
  }

  /** Splits what came in into messages, each stamped with the arrival of the chunk that completed it. */
  private parse(): void {
    for (let c = this.chunks.shift(); c; c = this.chunks.shift()) {
      this.buffer += c.text;
      let idx = this.buffer.indexOf('\n\n');
      while (idx >= 0) {
        const block = this.buffer.slice(0, idx);
        this.buffer = this.buffer.slice(idx + 2);
        idx = this.buffer.indexOf('\n\n');
        let event = 'message';
        let data: string | undefined;
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data = line.slice(6);
        }
        if (data !== undefined) this.inbox.push({ event, data: JSON.parse(data), at: c.at });
      }
    }
  }

  private end(err: Error): void {
    this.ended ??= err;
    this.wake();
  }

  /**
   * Wakes a waiting `until` only after the current round of socket reads (setImmediate), so the other streams' chunks
   * that arrived at the same time are read and stamped first: the reader's own parsing does not delay their stamps.
   */
  private wake(): void {
    if (!this.waiter || this.waking) return;
    this.waking = setImmediate(() => {
      this.waking = undefined;
      const w = this.waiter;
      this.waiter = null;
      w?.();
    });
  }

  /**
   * Reads messages in order, handing each to `seen`, until `seen` returns true for one; resolves with that message.
   * Fails when the stream ends first or nothing satisfies it within `timeoutMs`.
   */
  async until(seen: (m: Arrived) => boolean, timeoutMs: number): Promise<Arrived> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.parse();
      for (let m = this.inbox.shift(); m; m = this.inbox.shift()) if (seen(m)) return m;
      if (this.ended) throw this.ended;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.req.destroy();
  }
}
