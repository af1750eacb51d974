import type { Server } from 'node:http';
import type { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';

export type ShutdownOptions = {
  server: Server;
  lifecycle: Lifecycle;
  log: Logger;
  /** Keep serving (with /readyz at 503) this long before closing the listener. */
  delayMs: number;
  /** Exit anyway after this long (at most 10 s). */
  timeoutMs: number;
  onStop?: () => void;
  exit?: (code: number) => void;
};

/**
 * On SIGTERM/SIGINT: mark not ready, stop accepting connections, let in-flight requests finish
 * (idle keep-alive connections are closed, busy ones close after their response), then exit 0.
 */
export function installGracefulShutdown(options: ShutdownOptions): (signal: string) => void {
  const { server, lifecycle, log, delayMs, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let begun = false;

  const shutdown = (signal: string) => {
    if (begun) return;
    begun = true;
    const startedAt = Date.now();
    lifecycle.beginShutdown();
    log('info', 'shutdown_started', { signal, delayMs, timeoutMs });

    const force = setTimeout(() => {
      log('error', 'shutdown_forced', { afterMs: Date.now() - startedAt });
      exit(1);
    }, timeoutMs);

    const close = () => {
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      server.close((error) => {
        clearInterval(sweeper);
        clearTimeout(force);
        options.onStop?.();
        if (error) log('error', 'shutdown_error', { reason: error.message });
        log('info', 'shutdown_complete', { signal, tookMs: Date.now() - startedAt });
        exit(0);
      });
      server.closeIdleConnections();
    };
    if (delayMs > 0) setTimeout(close, delayMs);
    else close();
  };

  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return shutdown;
}
