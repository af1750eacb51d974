/**
 * A process that leads a Lease and installs the shutdown hook of the control center (release-on-signal.ts), as
 * instrumentation does after `next start` added its own SIGTERM/SIGINT listeners. Environment as elector-child.ts;
 * EARLIER_EXIT=143 first adds a listener that exits with that code once the HTTP server closed, as `next start` does.
 * Prints one JSON line per event.
 */
import { createServer } from 'node:http';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { LeaderElector } from '../leader-election';
import { releaseOnSignals } from '../release-on-signal';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const [leaseDurationSeconds, renewDeadlineSeconds, retryPeriodSeconds] = env('LEASE_TIMES')
  .split('/')
  .map(Number);
const kc = new KubeConfig();
kc.loadFromFile(env('KUBECONFIG'));
const say = (event: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, at: Date.now(), ...extra })}\n`);

const earlierExit = process.env.EARLIER_EXIT;
if (earlierExit) {
  // What `next start` does on SIGTERM: close the server, then exit with 128 + the signal's number.
  const server = createServer((_, res) => res.end()).listen(0, '127.0.0.1');
  process.on('SIGTERM', () => {
    say('earlier-listener');
    server.close(() => process.exit(Number(earlierExit)));
  });
}
const elector = new LeaderElector(
  kc.makeApiClient(CoordinationV1Api),
  {
    namespace: env('LEASE_NAMESPACE'),
    leaseName: env('LEASE_NAME'),
    identity: env('ELECTOR_ID'),
    leaseDurationSeconds: leaseDurationSeconds ?? 0,
    renewDeadlineSeconds: renewDeadlineSeconds ?? 0,
    retryPeriodSeconds: retryPeriodSeconds ?? 0,
  },
  { onStartedLeading: () => say('started'), onStoppedLeading: () => say('stopped') },
);
releaseOnSignals(() => elector.stop().then(() => say('released')), { log: (line) => say('log', { line }) });
elector.start();
say('running');
