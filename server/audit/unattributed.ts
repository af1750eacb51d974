import 'server-only';
import { Counter } from 'prom-client';

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

const KEY = Symbol.for('control-center.unattributed');
type Holder = { [KEY]?: { window: Window; counter: Counter | null } };

function state() {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    g[KEY] = { window: { start: Date.now(), counts: new Map() }, counter: null };
    const s = g[KEY];
    import('../observability/server-metrics')
      .then(({ serverMetrics }) => {
        s.counter = new Counter({
          name: 'control_center_unauthenticated_requests_total',
          help: 'API requests refused with 401 (no valid session); per source in the server log.',
          registers: [serverMetrics()],
        });
      })
      .catch((err) => console.error('metrics: no unauthenticated counter:', (err as Error).message));
  }
  return g[KEY];
}

export function sourceOf(req: Request): string {
  const hop = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return hop && /^[0-9a-fA-F:.]{2,45}$/.test(hop) ? hop : 'direct';
}

/** Counts one 401 from the request's source; writes the last minute's counts to the log when a minute has passed. */
export function countUnauthenticated(req: Request, now = Date.now()): void {
  const s = state();
  s.counter?.inc();
  if (now - s.window.start >= WINDOW_MS) {
    for (const [source, n] of s.window.counts)
      console.warn(`auth: ${n} request(s) without a valid session from ${source} in the last minute`);
    s.window = { start: now, counts: new Map() };
  }
  let source = sourceOf(req);
  if (!s.window.counts.has(source) && s.window.counts.size >= MAX_SOURCES) source = '(other)';
  const n = (s.window.counts.get(source) ?? 0) + 1;
  s.window.counts.set(source, n);
  if (n === 1) console.warn(`auth: a request without a valid session from ${source} (counted per minute)`);
}
