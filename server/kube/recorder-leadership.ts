import 'server-only';
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { PendingWrites } from '../audit/pending-writes';
import { countTimelineDropped } from '../audit/timeline-drops';
import { leaderElectionSettings } from '../config/control-center-config';
import { kube } from './client';
import { kubeContexts } from './contexts';
import { electorIdentity, LeaderElector, type LeaseApi } from './leader-election';
import { gatedStore, LeaderGate } from './leader-gate';
import { informers } from './registry';
import { releaseOnSignals } from './release-on-signal';

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

interface Led {
  elector: LeaderElector;
  gate: LeaderGate<TimelineEntry>;
}

const KEY = Symbol.for('control-center.recorder-leadership');
const SIGNALS = Symbol.for('control-center.recorder-leadership.signals');
/** How long a stopping process waits for its Leases to be released before it goes on exiting. */
export const RELEASE_TIMEOUT_MS = 5000;
type Holder = { [KEY]?: Map<string, Led> };
const electors = (): Map<string, Led> => {
  const g = globalThis as Holder;
  g[KEY] ??= new Map();
  return g[KEY];
};

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
    onDropped: (n) => countTimelineDropped('recorder', n),
  });
  const gate = new LeaderGate<TimelineEntry>(elector, (entries) => pending.add(entries), holdMs(settings));
  return { elector, gate, store: gatedStore(store, gate) };
}

/** The recorder's store for a context: gated by the context's Lease when leader election is configured. */
export function leaderGated<S extends { add(entries: TimelineEntry[]): unknown }>(
  store: S,
  context: string,
): S {
  const settings = leaderElectionSettings();
  if (!settings) return store;
  const led = electedStore(
    store,
    kube(context).kc.makeApiClient(CoordinationV1Api),
    settings,
    electorIdentity(),
    `${settings.namespace}/${settings.leaseName} (context ${context})`,
  );
  void electors().get(context)?.elector.stop();
  electors().set(context, led);
  led.elector.start();
  return led.store;
}

/**
 * At boot, with leader election configured: start the informers (and so the standby recorder) of every context, so a
 * replica that has served no request can still take over.
 */
export function startRecordersAtBoot(): void {
  if (!leaderElectionSettings()) return;
  const g = globalThis as Holder & { [SIGNALS]?: true };
  if (!g[SIGNALS]) {
    g[SIGNALS] = true;
    // SIGTERM/SIGINT: release every context's Lease (bounded) before `next start` closes and exits.
    releaseOnSignals(() => Promise.all([...electors().values()].map((l) => l.elector.stop())), {
      timeoutMs: RELEASE_TIMEOUT_MS,
    });
  }
  for (const c of kubeContexts().list) informers(c.name);
}
