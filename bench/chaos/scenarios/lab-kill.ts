import type { Scenario } from './types';
import { sleep } from './types';

/** The whole lab (API server, controllers, gateway, pods, Prometheus) SIGKILLed mid-step, restarted 10 s later. */
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
    const end = Date.now();
    return {
      start,
      end,
      trafficWindows: [{ from: start, to: end }],
      note: `lab down ${((end - start) / 1000).toFixed(1)} s (kill -9 to ready)`,
    };
  },
};
