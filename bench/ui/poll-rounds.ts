import { sleep } from '@control-center/lab/testing';
import type { Page, Request } from '@playwright/test';

/** How long after a round of the page's periodic reads starts before it counts as answered and drawn, ms. */
const ROUND_SETTLES_MS = 1500;

/**
 * The rounds of a page's periodic reads (the rollout page reads its charts, traffic and timeline every 10 s, all on the
 * same instants of its own phase: lib/client/page-frame.ts), seen from its requests of `urlPart`. They happen whatever
 * else happens; a measurement window placed `clear` of them holds what a change makes the page do, and `across` places
 * one on a round to measure the round itself.
 */
export function pollRounds(page: Page, urlPart: string, everyMs: number) {
  let last: number | undefined;
  const onRequest = (r: Request) => {
    if (r.url().includes(urlPart)) last = Date.now();
  };
  page.on('request', onRequest);
  /** The start of the last round seen, waiting (at most two periods) for one. */
  const lastRound = async (): Promise<number> => {
    for (const end = Date.now() + 2 * everyMs; last === undefined; await sleep(50))
      if (Date.now() > end)
        throw new Error(`no read of ${urlPart} within ${2 * everyMs} ms: not a periodic read`);
    return last;
  };
  return {
    /** Waits until a window of `lengthMs` starting now holds no round: past the last round's settling, before the next. */
    async clear(lengthMs: number): Promise<void> {
      for (;;) {
        const since = Date.now() - (await lastRound());
        if (since > 2 * everyMs)
          throw new Error(`no read of ${urlPart} for ${since} ms: the page stopped its reads`);
        const toNext = everyMs - since;
        if (since >= ROUND_SETTLES_MS && toNext >= lengthMs + 300) return;
        await sleep(since < ROUND_SETTLES_MS ? ROUND_SETTLES_MS - since : toNext + ROUND_SETTLES_MS);
      }
    },
    /** Waits until 300 ms before the next round: a window of at least that long from now holds it. */
    async before(): Promise<void> {
      const toNext = everyMs - (Date.now() - (await lastRound()));
      await sleep(toNext > 300 ? toNext - 300 : toNext + everyMs - 300);
    },
    stop(): void {
      page.off('request', onRequest);
    },
  };
}
