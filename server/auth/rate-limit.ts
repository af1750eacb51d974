import 'server-only';

export interface Limiter {
  /** Counts one hit for `key`: ok, or the seconds until the window resets. */
  hit(key: string, now?: number): { ok: true } | { ok: false; retryAfterSeconds: number };
}

/**
 * A fixed-window counter per key (per user for actions, per name for logins), in memory. Old windows are swept so
 * the map stays bounded by the keys seen in one window.
 */
export function fixedWindowLimiter(opts: { limit: number | (() => number); windowMs: number }): Limiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    hit(key, now = Date.now()) {
      if (now - lastSweep > opts.windowMs) {
        for (const [k, w] of windows) if (now - w.start >= opts.windowMs) windows.delete(k);
        lastSweep = now;
      }
      const limit = typeof opts.limit === 'function' ? opts.limit() : opts.limit;
      let w = windows.get(key);
      if (!w || now - w.start >= opts.windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      if (w.count <= limit) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + opts.windowMs - now) / 1000)) };
    },
  };
}
