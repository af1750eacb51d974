/** Readiness: not ready during the start-up warm-up, nor once shutdown has begun. */
export type Lifecycle = {
  isReady: () => boolean;
  isShuttingDown: () => boolean;
  startWarmup: () => void;
  beginShutdown: () => void;
};

export function createLifecycle(warmupMs: number): Lifecycle {
  let warm = false;
  let shuttingDown = false;
  return {
    isReady: () => warm && !shuttingDown,
    isShuttingDown: () => shuttingDown,
    startWarmup: () => {
      if (warmupMs <= 0) {
        warm = true;
        return;
      }
      setTimeout(() => {
        warm = true;
      }, warmupMs).unref();
    },
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}
