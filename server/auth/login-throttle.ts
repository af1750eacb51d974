/**
 * Password sign-in throttling, in memory, with three keys so that nobody can lock a user out from elsewhere:
 * - per (username, source): `freeFailures` wrong passwords, then a wait that doubles with every further failure
 *   (1 s, 2 s, 4 s ... up to `maxBackoffMs`); a success clears it;
 * - per source: `perSourceLimit` attempts a minute across all usernames (password spraying);
 * - per username: `perUserFailures` failures in `perUserWindowMs` from all sources together, a last resort that one
 *   source cannot reach alone (it is held to a few attempts by its own backoff).
 */
export interface ThrottleLimits {
  freeFailures: number;
  maxBackoffMs: number;
  /** A (username, source) pair without failures for this long starts afresh. */
  forgetAfterMs: number;
  perSourceLimit: number;
  perSourceWindowMs: number;
  perUserFailures: number;
  perUserWindowMs: number;
  /** The most keys kept per map (the oldest go first). */
  maxKeys: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  freeFailures: 5,
  maxBackoffMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  perSourceLimit: 30,
  perSourceWindowMs: 60_000,
  perUserFailures: 100,
  perUserWindowMs: 15 * 60_000,
  maxKeys: 50_000,
};

export type ThrottleDecision =
  | { ok: true }
  | { ok: false; retryAfterSeconds: number; scope: 'pair' | 'source' | 'user' };

interface Pair {
  failures: number;
  lastFailureAt: number;
}
interface Window {
  start: number;
  count: number;
}

const retry = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function bounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

export class LoginThrottle {
  private readonly pairs = new Map<string, Pair>();
  private readonly sources = new Map<string, Window>();
  private readonly users = new Map<string, Window>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The wait after `failures` failures (0 while they are free). */
  backoffMs(failures: number): number {
    const over = failures - this.limits.freeFailures;
    return over < 0 ? 0 : Math.min(1000 * 2 ** over, this.limits.maxBackoffMs);
  }

  /** May `username` try a password from `source` now? Counts the attempt against the source. */
  attempt(username: string, source: string): ThrottleDecision {
    const now = this.clock();
    const l = this.limits;
    const pair = this.pairs.get(`${username}\n${source}`);
    if (pair) {
      const until = pair.lastFailureAt + this.backoffMs(pair.failures);
      if (now < until) return { ok: false, retryAfterSeconds: retry(until - now), scope: 'pair' };
    }
    let w = this.sources.get(source);
    if (!w || now - w.start >= l.perSourceWindowMs) w = { start: now, count: 0 };
    w.count++;
    bounded(this.sources, source, w, l.maxKeys);
    if (w.count > l.perSourceLimit)
      return { ok: false, retryAfterSeconds: retry(w.start + l.perSourceWindowMs - now), scope: 'source' };
    const u = this.users.get(username);
    if (u && now - u.start < l.perUserWindowMs && u.count >= l.perUserFailures)
      return { ok: false, retryAfterSeconds: retry(u.start + l.perUserWindowMs - now), scope: 'user' };
    return { ok: true };
  }

  /** The outcome of an attempt that was let through. */
  record(username: string, source: string, success: boolean): void {
    const now = this.clock();
    const key = `${username}\n${source}`;
    if (success) {
      this.pairs.delete(key);
      return;
    }
    const pair = this.pairs.get(key);
    const fresh = !pair || now - pair.lastFailureAt > this.limits.forgetAfterMs;
    bounded(
      this.pairs,
      key,
      { failures: fresh ? 1 : pair.failures + 1, lastFailureAt: now },
      this.limits.maxKeys,
    );
    let u = this.users.get(username);
    if (!u || now - u.start >= this.limits.perUserWindowMs) u = { start: now, count: 0 };
    u.count++;
    bounded(this.users, username, u, this.limits.maxKeys);
  }
}
