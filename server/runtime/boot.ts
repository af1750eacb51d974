import 'server-only';
import { RELEASE_TIMEOUT_MS } from '../kube/recorder-leadership';
import { releaseOnSignals } from '../kube/release-on-signal';
import { runtime } from './current';
import type { Runtime } from './runtime';

const booted = new WeakSet<Runtime>();

/**
 * At boot, with leader election configured: build every context (its informers, and so its standby recorder), so a
 * replica that has served no request can still take over; on SIGTERM/SIGINT every context's Lease is released
 * (bounded) before `next start` closes and exits.
 */
export function startRecordersAtBoot(): void {
  const rt = runtime();
  if (!rt.leaderElection || booted.has(rt)) return;
  booted.add(rt);
  releaseOnSignals(() => Promise.all([...rt.started().values()].map((c) => c.elector?.stop())), {
    timeoutMs: RELEASE_TIMEOUT_MS,
  });
  for (const c of rt.contexts.list) rt.context(c.name).start();
}
