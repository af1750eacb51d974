/**
 * Releases leader election Leases when the process is told to stop, as client-go's ReleaseOnCancel does: on SIGTERM or
 * SIGINT `stopAll` runs (each elector stops and writes holder '' with a 1 s lease, so a standby takes over at once),
 * bounded by `timeoutMs`, and then the signal does what it did before this was installed: the listeners present at
 * install time run with it (`next start` closes its server and exits 143 or 130), or, with none, the process dies of
 * the signal as by default. Install it after those listeners (instrumentation runs after `next start` adds its own).
 */
export interface ReleaseOnSignalOptions {
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  log?: (line: string) => void;
}

export function releaseOnSignals(stopAll: () => Promise<unknown>, opts: ReleaseOnSignalOptions = {}): void {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const log = opts.log ?? ((line: string) => console.error(line));
  let releasing: Promise<void> | undefined;
  const release = (): Promise<void> => {
    releasing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        log(`leader election: Leases not released within ${timeoutMs} ms; going on with the shutdown`);
        resolve();
      }, timeoutMs);
      stopAll()
        .catch((err) =>
          log(`leader election: release failed: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => {
          clearTimeout(timer);
          resolve();
        });
    });
    return releasing;
  };
  for (const signal of opts.signals ?? ['SIGTERM', 'SIGINT']) {
    const earlier = process.listeners(signal) as Array<(s: NodeJS.Signals) => void>;
    for (const l of earlier) process.off(signal, l);
    let seen = false;
    const onSignal = (s: NodeJS.Signals) => {
      if (seen) return;
      seen = true;
      void release().then(() => {
        process.off(signal, onSignal);
        if (earlier.length === 0) {
          process.kill(process.pid, s);
          return;
        }
        for (const l of earlier) process.on(signal, l);
        for (const l of earlier) l(s);
      });
    };
    process.on(signal, onSignal);
  }
}
