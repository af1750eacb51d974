/** The limits of a load run and the validation of its options (every run is bounded). */
import type { LoadOptions } from './types';

export const DEFAULT_DURATION_MS = 10_000;
export const MAX_DURATION_MS = 60 * 60 * 1000;
export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_INFLIGHT = 1000;
export const MAX_RPS = 100_000;
export const MAX_CONCURRENCY = 10_000;
export const MAX_REQUESTS = 100_000_000;
/** A send later than this after its slot counts as late. */
export const LATE_THRESHOLD_MS = 10;
/** Validate options; throws a RangeError/TypeError naming the bad field. */
export function validateOptions(o: LoadOptions): void {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new TypeError(`url: not a valid URL: ${JSON.stringify(o.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`url: protocol must be http: or https:, got ${url.protocol}`);
  }
  const hasRps = o.rps !== undefined;
  const hasConc = o.concurrency !== undefined;
  if (hasRps === hasConc) throw new RangeError('set exactly one of rps or concurrency');
  if (hasRps && !(Number.isFinite(o.rps) && (o.rps as number) > 0 && (o.rps as number) <= MAX_RPS)) {
    throw new RangeError(`rps: must be a number in (0, ${MAX_RPS}]`);
  }
  if (hasConc && !isIntIn(o.concurrency, 1, MAX_CONCURRENCY)) {
    throw new RangeError(`concurrency: must be an integer in [1, ${MAX_CONCURRENCY}]`);
  }
  if (o.durationMs !== undefined && !(Number.isFinite(o.durationMs) && o.durationMs > 0)) {
    throw new RangeError('durationMs: must be > 0');
  }
  if (o.durationMs !== undefined && o.durationMs > MAX_DURATION_MS) {
    throw new RangeError(`durationMs: must be at most ${MAX_DURATION_MS} (1h)`);
  }
  if (o.requests !== undefined && !isIntIn(o.requests, 1, MAX_REQUESTS)) {
    throw new RangeError(`requests: must be an integer in [1, ${MAX_REQUESTS}]`);
  }
  if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) {
    throw new RangeError('timeoutMs: must be > 0');
  }
  if (o.maxInflight !== undefined && !isIntIn(o.maxInflight, 1, 100_000)) {
    throw new RangeError('maxInflight: must be an integer in [1, 100000]');
  }
  if (o.drainTimeoutMs !== undefined && !(Number.isFinite(o.drainTimeoutMs) && o.drainTimeoutMs >= 0)) {
    throw new RangeError('drainTimeoutMs: must be >= 0');
  }
}

function isIntIn(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
