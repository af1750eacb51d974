import 'server-only';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { PendingWrites } from '../audit/pending-writes';
import { LeaderElector, type LeaseApi } from './leader-election';
import { gatedStore, LeaderGate } from './leader-gate';

/**
 * The timeline recorder of each kube context runs on every replica as a standby that tracks objects; only the holder
 * of the context's Lease writes. A standby keeps the entries of the last `holdMs` and writes them
 * when it takes over (the keys are deterministic, so what the old leader wrote already is stored once).
 */
/**
 * How long a standby keeps what it saw. A takeover comes at the latest leaseDuration after the standby last SAW the
 * Lease change (up to one jittered retry after the dead leader's last renew), plus one more jittered retry; the dead
 * leader may have stopped writing up to renewDeadline before its last renew counted. Twice that sum, so a slow machine
 * loses nothing: flushing more than needed costs only idempotent writes.
 */
export const holdMs = (s: {
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
}): number => 2 * (s.leaseDurationSeconds + s.renewDeadlineSeconds + 2 * s.retryPeriodSeconds * 1.2) * 1000;

export interface Led {
  elector: LeaderElector;
  gate: LeaderGate<TimelineEntry>;
}

/** How long a stopping process waits for its Leases to be released before it goes on exiting. */
export const RELEASE_TIMEOUT_MS = 5000;

export interface ElectionSettings {
  namespace: string;
  leaseName: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
}

/**
 * A store whose writes go through a gate led by a new elector on `api` (not started): the gate holds while standby,
 * writes what it held the moment the elector starts leading, and keeps `holdMs` of entries.
 */
export function electedStore<S extends { add(entries: TimelineEntry[]): unknown }>(
  store: S,
  api: LeaseApi,
  settings: ElectionSettings,
  identity: string,
  where = `${settings.namespace}/${settings.leaseName}`,
  onDropped: (n: number) => void = () => {},
): Led & { store: S } {
  let lastError = '';
  const elector: LeaderElector = new LeaderElector(
    api,
    { ...settings, identity },
    {
      onStartedLeading: () => {
        console.log(`recorder: ${identity} leads ${where}; writing ${gate.heldCount()} held entries`);
        gate.flush();
      },
      onStoppedLeading: () => console.log(`recorder: ${identity} stopped leading ${where}`),
      onError: (message) => {
        // Once per distinct error (a missing namespace would print every retry period).
        if (message !== lastError) console.error(`recorder: lease ${where}: ${message}`);
        lastError = message;
      },
    },
  );
  // A write that fails after takeover (store down, disk full) is kept and retried here; held again in the gate it
  // would age out with the hold window and wait for the next event.
  const pending = new PendingWrites<TimelineEntry>((entries) => store.add(entries), {
    name: `recorder ${where}`,
    onDropped,
  });
  const gate = new LeaderGate<TimelineEntry>(elector, (entries) => pending.add(entries), holdMs(settings));
  return { elector, gate, store: gatedStore(store, gate) };
}
