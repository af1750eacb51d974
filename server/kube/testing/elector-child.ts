/**
 * A leader elector in its own process (for tests that kill -9 it): KUBECONFIG, ELECTOR_ID, LEASE_NAMESPACE,
 * LEASE_NAME and LEASE_TIMES ("duration/deadline/retry" seconds) from the environment. Prints one JSON line per event;
 * SIGTERM stops the loop and releases the Lease.
 */
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { LeaderElector } from '../leader-election';

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
process.once('SIGTERM', () => {
  void elector.stop().then(() => {
    say('released');
    process.exit(0);
  });
});
elector.start();
say('running');
