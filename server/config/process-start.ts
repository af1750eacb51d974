import 'server-only';

const startedAt = Date.now();

/** Seconds since this server process loaded its first route. */
export function uptimeSeconds(now: number = Date.now()): number {
  return Math.max(0, Math.round((now - startedAt) / 1000));
}
