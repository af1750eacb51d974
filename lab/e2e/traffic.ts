import { Agent, request } from 'node:http';

export interface Sample {
  /** When the request was sent (Date.now()). */
  sentAt: number;
  doneAt: number;
  /** HTTP status, or 0 for a transport error. */
  status: number;
  /** The `version` field of the JSON body, when there is one. */
  version?: string;
  error?: string;
}

export interface TrafficOptions {
  url: string;
  host: string;
  rps: number;
  /** Hard bounds: the loop stops by itself after this many requests or this long. */
  maxRequests: number;
  maxDurationMs: number;
  timeoutMs?: number;
}

/**
 * Open-loop traffic (request i at start + i/rps) that keeps every response's time, status and version, so a test
 * can cut the record by rollout step. Bounded in count and time; `stop()` ends it early and waits for in-flight.
 */
export class Traffic {
  readonly samples: Sample[] = [];
  private stopped = false;
  private inflight = 0;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly done: Promise<void>;

  constructor(private readonly o: TrafficOptions) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    const start = Date.now();
    for (let i = 0; i < this.o.maxRequests && !this.stopped; i++) {
      const due = start + (i * 1000) / this.o.rps;
      if (due - start > this.o.maxDurationMs) break;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.stopped) break;
      this.send();
    }
    const deadline = Date.now() + (this.o.timeoutMs ?? 5000) + 1000;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private send(): void {
    const s: Sample = { sentAt: Date.now(), doneAt: 0, status: 0 };
    this.inflight++;
    let finished = false;
    const finish = (status: number, body?: string, error?: string) => {
      if (finished) return;
      finished = true;
      this.inflight--;
      s.doneAt = Date.now();
      s.status = status;
      if (error) s.error = error;
      if (body) {
        try {
          const v = (JSON.parse(body) as { version?: unknown }).version;
          if (typeof v === 'string') s.version = v;
        } catch {
          // not JSON
        }
      }
      this.samples.push(s);
    };
    const req = request(
      this.o.url,
      { agent: this.agent, headers: { host: this.o.host }, timeout: this.o.timeoutMs ?? 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', (err) => finish(0, undefined, err.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => finish(0, undefined, (err as NodeJS.ErrnoException).code ?? err.message));
    req.end();
  }

  /** Stops sending and waits for the requests in flight (bounded). */
  async stop(): Promise<Sample[]> {
    this.stopped = true;
    await this.done;
    this.agent.destroy();
    return this.samples;
  }

  /** Samples sent in [from, to). */
  between(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.sentAt >= from && s.sentAt < to);
  }
}

export const failed = (s: Sample) => s.status === 0 || s.status >= 400;

/** Share of responses (with a version) that came from `version`, in percent, and the count it is over. */
export function shareOf(samples: Sample[], version: string): { pct: number; n: number } {
  const withVersion = samples.filter((s) => s.version !== undefined);
  const hits = withVersion.filter((s) => s.version === version).length;
  return { pct: withVersion.length ? (100 * hits) / withVersion.length : Number.NaN, n: withVersion.length };
}
