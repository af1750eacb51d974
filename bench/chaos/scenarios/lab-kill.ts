import { type PodItem, type ReplicaSetItem, rolloutPodsReady } from '../classify';
import type { Lab } from '../stack';
import type { Scenario } from './types';
import { sleep } from './types';

const PODS_READY_TIMEOUT_MS = 180_000;

/**
 * When the Pods of the Rollout's ReplicaSets are Ready again as the API reports them (kubectl, as a user reads
 * them): a one-node crash kills the pods too, and traffic fails until they serve again, whatever the API says first.
 */
async function podsReadyAgain(lab: Lab): Promise<number> {
  const deadline = Date.now() + PODS_READY_TIMEOUT_MS;
  for (;;) {
    const list = await lab
      .kubectl('-n', 'demo', 'get', 'replicasets,pods', '-o', 'json')
      .then(
        (out) => (JSON.parse(out) as { items: Array<ReplicaSetItem & PodItem & { kind?: string }> }).items,
      )
      .catch(() => null);
    if (
      list &&
      rolloutPodsReady(
        'webapp',
        list.filter((i) => i.kind === 'ReplicaSet'),
        list.filter((i) => i.kind === 'Pod'),
      )
    )
      return Date.now();
    if (Date.now() > deadline)
      throw new Error(
        `the webapp Rollout's pods not Ready within ${PODS_READY_TIMEOUT_MS / 1000} s of the lab restart`,
      );
    await sleep(250);
  }
}

/**
 * The whole lab (API server, controllers, gateway, pods, Prometheus) SIGKILLed mid-step, restarted 10 s later. The
 * fault's window ends when the Rollout's pods are Ready again (a node crash is over for traffic then); failures
 * after that are the mechanics'.
 */
export const labKill: Scenario = {
  name: 'lab kill -9 mid-step',
  kind: 'good',
  expected: 'promote',
  fault:
    'kill -9 of the lab process group during an analysis; restart on the same ports and state after 10 s',
  trigger: { at: 'analysis', afterMs: 5000 },
  inject: async (ctx) => {
    const start = Date.now();
    ctx.lab.kill9();
    await sleep(10_000);
    await ctx.lab.start();
    const labReady = Date.now();
    const end = await podsReadyAgain(ctx.lab);
    return {
      start,
      end,
      trafficWindows: [{ from: start, to: end }],
      note: `lab down ${((labReady - start) / 1000).toFixed(1)} s (kill -9 to lab ready), its pods Ready ${((end - labReady) / 1000).toFixed(1)} s later`,
    };
  },
};
