import 'server-only';
import { Counter, type Registry } from 'prom-client';

/**
 * Requests refused with 401 (no valid session) name no user, so they are not audit rows (anyone could fill the
 * log): they are counted per source instead, in memory, logged once a minute per source, and in the metric
 * `control_center_unauthenticated_requests_total`. The source is the first X-Forwarded-For hop (set by the ingress)
 * or `direct`; at most MAX_SOURCES are told apart per minute, the rest count as `(other)`.
 */
const WINDOW_MS = 60_000;
const MAX_SOURCES = 1000;

interface Window {
  start: number;
  counts: Map<string, number>;
}

/** The 401 counts of one process (built by the runtime, its counter on the runtime's metrics registry). */
export class UnattributedCounts {
  private window: Window;
  private readonly counter: Counter;

  constructor(registry: Registry, now = Date.now()) {
    this.window = { start: now, counts: new Map() };
    this.counter = new Counter({
      name: 'control_center_unauthenticated_requests_total',
      help: 'API requests refused with 401 (no valid session); per source in the server log.',
      registers: [registry],
    });
  }

  /** Counts one 401 from the request's source; writes the last minute's counts to the log when a minute has passed. */
  count(req: Request, now = Date.now()): void {
    this.counter.inc();
    if (now - this.window.start >= WINDOW_MS) {
      for (const [source, n] of this.window.counts)
        console.warn(`auth: ${n} request(s) without a valid session from ${source} in the last minute`);
      this.window = { start: now, counts: new Map() };
    }
    let source = sourceOf(req);
    if (!this.window.counts.has(source) && this.window.counts.size >= MAX_SOURCES) source = '(other)';
    const n = (this.window.counts.get(source) ?? 0) + 1;
    this.window.counts.set(source, n);
    if (n === 1) console.warn(`auth: a request without a valid session from ${source} (counted per minute)`);
  }
}

export function sourceOf(req: Request): string {
  const hop = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return hop && /^[0-9a-fA-F:.]{2,45}$/.test(hop) ? hop : 'direct';
}
