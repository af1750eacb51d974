import type { ApiFault } from '../api-fault-proxy';
import type { Scenario } from './types';
import { sleep } from './types';

const WHAT: Record<Exclude<ApiFault, 'none'>, string> = {
  '500': 'every request answered 500 InternalError (open watches cut)',
  '409': 'every write answered 409 Conflict',
  slow: 'every request delayed 3 s',
};

/** The Kubernetes API sick for 30 s, for the control center only (the fault proxy in front of the lab's API server). */
function apiFault(mode: Exclude<ApiFault, 'none'>): Scenario {
  return {
    name: `Kubernetes API ${mode === 'slow' ? '+3 s' : mode} for 30 s`,
    kind: 'bad',
    expected: 'rollback',
    fault: `the control center's kube API: ${WHAT[mode]} for 30 s from the launch, over the first analysis (TLS proxy with the lab's serving cert)`,
    trigger: { at: 'launch', afterMs: 0 },
    inject: async (ctx) => {
      const start = Date.now();
      ctx.proxy.setFault(mode);
      try {
        await sleep(30_000);
      } finally {
        ctx.proxy.setFault('none');
      }
      return {
        start,
        end: Date.now(),
        trafficWindows: [],
        note: `${ctx.proxy.injected[mode]} requests of the control center met the fault`,
      };
    },
  };
}

export const api500 = apiFault('500');
export const api409 = apiFault('409');
export const apiSlow = apiFault('slow');
