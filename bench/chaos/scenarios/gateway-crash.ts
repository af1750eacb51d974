import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { REPO_ROOT } from '../../../support/testing/processes';
import type { Scenario } from './types';

const HOOK = '/lab/v1/chaos/gateway-crash';

/** The gateway's worker thread crashes (the lab's LAB_CHAOS=1 hook: a thread shares the lab's pid, so no signal can reach it). */
export const gatewayCrash: Scenario = {
  name: 'gateway worker crash',
  kind: 'good',
  expected: 'promote',
  fault: `the gateway worker crashes (POST ${HOOK}, LAB_CHAOS=1) during an analysis`,
  missing: () =>
    readFileSync(path.join(REPO_ROOT, 'lab/api/server.ts'), 'utf8').includes('gateway-crash')
      ? null
      : `needs the lab's gateway crash hook (LAB_CHAOS=1 POST ${HOOK}) and the supervised gateway worker: not on this branch yet`,
  trigger: { at: 'analysis', afterMs: 5000 },
  inject: async (ctx) => {
    const start = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        `${ctx.lab.url}${HOOK}`,
        {
          method: 'POST',
          ca: readFileSync(path.join(ctx.lab.dir, 'pki', 'ca.crt')),
          headers: { authorization: `Bearer ${ctx.lab.adminToken()}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    if (status < 200 || status >= 300)
      throw new Error(`needs the gateway crash hook: POST ${HOOK} answered ${status}`);
    // the hook answers once the thread has ended; a request sent before that may still have been served
    const died = Date.now();
    const back = await ctx.firstResponseAfter(died, 120_000);
    return {
      start,
      end: back,
      trafficWindows: [{ from: start, to: back }],
      note: `gateway thread ended ${((died - start) / 1000).toFixed(1)} s after the hook was called; answered again ${((back - died) / 1000).toFixed(1)} s later`,
    };
  },
};
