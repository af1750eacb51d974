import type { ClientRequest } from 'node:http';
import { request } from 'node:https';
import type { Obj } from './kube-objects';
import type { LabProcess } from './lab-process';

export interface WatchEvent {
  type: string;
  object: Obj;
  /** When the event's line arrived (Date.now()). */
  at: number;
  /** The same on the high-resolution clock (performance.now()). */
  hr: number;
}

/** A raw watch (`?watch=1`) over HTTPS; events are collected in arrival order until `close()`. */
export class WatchStream {
  readonly events: WatchEvent[] = [];
  readonly opened: Promise<number>;
  private readonly req: ClientRequest;
  private listeners: Array<() => void> = [];
  ended = false;

  constructor(lab: LabProcess, urlPath: string) {
    const sep = urlPath.includes('?') ? '&' : '?';
    let buf = '';
    let opened: (status: number) => void = () => undefined;
    let failed: (err: Error) => void = () => undefined;
    this.opened = new Promise((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    this.req = request(
      `${lab.apiUrl}${urlPath}${sep}watch=1`,
      { ca: lab.caPem, headers: { Authorization: `Bearer ${lab.token}` } },
      (res) => {
        opened(res.statusCode ?? 0);
        res.on('data', (d: Buffer) => {
          buf += d.toString('utf8');
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line) as { type: string; object: Obj };
            this.events.push({ ...ev, at: Date.now(), hr: performance.now() });
            for (const l of this.listeners) l();
          }
        });
        const end = () => {
          this.ended = true;
        };
        res.on('end', end);
        res.on('error', end);
        res.on('aborted', end);
      },
    );
    this.req.on('error', (err) => {
      this.ended = true;
      failed(err);
    });
    this.opened.catch(() => undefined);
    this.req.end();
  }

  /** Resolves with the first event (from now on) that `match` accepts, or rejects after `timeoutMs`. */
  next(match: (e: WatchEvent) => boolean, timeoutMs = 5000): Promise<WatchEvent> {
    const start = this.events.length;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(start).find(match);
        if (!found) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`no matching watch event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.push(check);
      check();
    });
  }

  close(): void {
    this.req.destroy();
  }
}
