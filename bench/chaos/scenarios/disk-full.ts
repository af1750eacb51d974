import type { Scenario } from './types';
import { sleep } from './types';

/** The audit store's disk full for 30 s: actions must be refused (not acknowledged and lost), the judge must still answer. */
export const diskFull: Scenario = {
  name: 'audit store disk full 30 s',
  kind: 'bad',
  expected: 'rollback',
  fault:
    "the control center's data folder on a small tmpfs, filled to ENOSPC for 30 s from the launch, over the first analysis",
  smallDisk: true,
  trigger: { at: 'launch', afterMs: 0 },
  inject: async (ctx) => {
    const disk = ctx.disk;
    if (!disk) throw new Error('the small disk was not mounted');
    const start = Date.now();
    const bytes = await disk.fill();
    try {
      await sleep(30_000);
    } finally {
      disk.free();
    }
    return {
      start,
      end: Date.now(),
      trafficWindows: [],
      note: `${disk.mechanism}; filler ${(bytes / 1048576).toFixed(1)} MiB`,
    };
  },
};
