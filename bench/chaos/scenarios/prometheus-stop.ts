import { prometheusPid } from '../stack';
import type { Scenario } from './types';
import { sleep } from './types';

/** The lab's Prometheus frozen for 60 s (SIGSTOP, then SIGCONT): the judge's queries hang or fail meanwhile. */
export const prometheusStop: Scenario = {
  name: 'Prometheus stopped 60 s',
  kind: 'bad',
  expected: 'rollback',
  fault:
    "SIGSTOP of the lab's Prometheus for 60 s from the canary's launch (its first analysis), then SIGCONT",
  trigger: { at: 'launch', afterMs: 0 },
  inject: async (ctx) => {
    const pid = prometheusPid(ctx.lab.dir);
    if (!pid) throw new Error("the lab's Prometheus pid file names no running process");
    const start = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await sleep(60_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    return { start, end: Date.now(), trafficWindows: [], note: `Prometheus pid ${pid} stopped 60 s` };
  },
};
