/**
 * How long the lab waits before it starts the gateway again after a crash, as the kubelet's CrashLoopBackOff does for a
 * container (10 s doubling to 5 min, reset after 10 min of running), on the lab's shorter scale: 0.25 s doubling to
 * 10 s, back to 0.25 s once the gateway had been up for 30 s.
 */
export const RESTART_BACKOFF = { initialMs: 250, maxMs: 10_000, resetAfterUpMs: 30_000 } as const;

/** The delay before the next start, given the previous delay (undefined: none yet) and how long the gateway was up. */
export function nextRestartDelay(previousMs: number | undefined, upMs: number): number {
  if (previousMs === undefined || upMs >= RESTART_BACKOFF.resetAfterUpMs) return RESTART_BACKOFF.initialMs;
  return Math.min(previousMs * 2, RESTART_BACKOFF.maxMs);
}
