/**
 * A leader elector in its own process (for tests that kill -9 or SIGTERM it): KUBECONFIG, ELECTOR_ID, LEASE_NAMESPACE,
 * LEASE_NAME and LEASE_TIMES ("duration/deadline/retry" seconds) from the environment. Prints one JSON line per event.
 *
 * SIGTERM stops the loop and releases the Lease. With ON_SIGNAL=release-on-signal it installs the control center's
 * shutdown hook instead (release-on-signal.ts), as instrumentation does after `next start` added its own SIGTERM/SIGINT
 * listeners; EARLIER_EXIT=143 then first adds a listener that exits with that code once an HTTP server closed, as
 * `next start` does.
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
const asControlCenter = process.env.ON_SIGNAL === 'release-on-signal';

const earlierExit = process.env.EARLIER_EXIT;
if (asControlCenter && earlierExit) {
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
  {
    onStartedLeading: () => say('started'),
    onStoppedLeading: () => say('stopped'),
    onNewLeader: (holder) => say('leader', { holder }),
    onError: (message) => say('error', { message }),
  },
);
if (asControlCenter)
  releaseOnSignals(() => elector.stop().then(() => say('released')), {
    log: (line) => say('log', { line }),
  });
else
  process.once('SIGTERM', () => {
    void elector.stop().then(() => {
      say('released');
      process.exit(0);
    });
  });
elector.start();
say('running');
