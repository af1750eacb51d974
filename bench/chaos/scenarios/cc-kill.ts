import type { Scenario } from './types';

/** The control center SIGKILLed while the judge's analysis runs, then started again on the same port and data. */
export const ccKill: Scenario = {
  name: 'control center kill -9 during analysis',
  kind: 'bad',
  expected: 'rollback',
  fault: 'kill -9 of the control center during an analysis, restarted at once (same port, same data)',
  trigger: { at: 'analysis', afterMs: 0 },
  inject: async (ctx) => {
    const start = Date.now();
    ctx.cc.kill9();
    await ctx.cc.restart();
    const end = Date.now();
    return {
      start,
      end,
      trafficWindows: [],
      note: `control center down ${((end - start) / 1000).toFixed(1)} s`,
    };
  },
};
