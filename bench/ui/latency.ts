import { type LabProcess, PATHS, patch, rollout, sleep, waitFor } from '@control-center/lab/testing';
import type { Browser, Page } from '@playwright/test';
import { epochNow, openLivePage, type Session } from './browser';
import { log } from './stack';
import { summary } from './stats';

export const ROLLOUT_PAGE = '/rollouts/demo/webapp';
/** How long a page may take to show one change before it counts as missed. */
const SHOW_TIMEOUT_MS = 15_000;

type Want = 'paused' | 'resumed';

/**
 * In the page: from now on, note (epoch ms) the first DOM mutation after which the rollout header shows `want`
 * (paused: a Paused phase or paused badge; resumed: Healthy and no paused badge). Returns the page's clock.
 */
function arm(args: { want: Want; timeoutMs: number }): { now: number; already: boolean } {
  const shows = (): boolean => {
    const badge = document.querySelector('[data-testid="rollout-phase"]');
    const paused = /paused/i.test(badge?.parentElement?.textContent ?? '');
    return args.want === 'paused' ? paused : !paused && badge?.textContent === 'Healthy';
  };
  const w = window as unknown as { __benchSeen?: Promise<number | null> };
  w.__benchSeen = new Promise<number | null>((resolve) => {
    const obs = new MutationObserver(() => {
      if (!shows()) return;
      obs.disconnect();
      resolve(performance.timeOrigin + performance.now());
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    setTimeout(() => {
      obs.disconnect();
      resolve(null);
    }, args.timeoutMs);
  });
  return { now: performance.timeOrigin + performance.now(), already: shows() };
}

/** The controller's own status write (phase) for a pause/resume has landed: the next change may start. */
export async function settled(lab: LabProcess, paused: boolean): Promise<void> {
  const phase = paused ? 'Paused' : 'Healthy';
  await waitFor(`phase ${phase}`, async () => (await rollout(lab)).status?.phase === phase, 15_000, 50);
  await sleep(300);
}

export interface LatencyRun {
  pages: number;
  changes: number;
  samples: number;
  missed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The PATCH's own round trip (median), included in the latencies. */
  apiMedianMs: number;
  /** Largest (over pages) half of the shortest calibration round trip: how far page and bench clocks may disagree. */
  clockUncertaintyMs: number;
  byKind: Record<Want, { p50Ms: number; p95Ms: number }>;
}

/** Opens `n` rollout pages, each in its own context, `concurrency` at a time, for at most `budgetMs`. */
export async function openRolloutPages(
  browser: Browser,
  session: Session,
  n: number,
  budgetMs: number,
  concurrency = 2,
): Promise<Page[]> {
  const deadline = Date.now() + budgetMs;
  const pages: Page[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n && Date.now() < deadline) {
      next++;
      pages.push(await openLivePage(browser, session, ROLLOUT_PAGE));
      if (pages.length % 10 === 0) log(`${pages.length} of ${n} pages live`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  if (pages.length < n) log(`only ${pages.length} of ${n} pages live within ${budgetMs / 1000} s`);
  return pages;
}

/**
 * `changes` times, alternating: pause / resume demo/webapp with a merge patch of `spec.paused` (as
 * `kubectl argo rollouts pause` does), and time from just before the PATCH is sent until each open page's DOM shows
 * it. Page timestamps are moved onto the bench's clock with the offset of each page's fastest calibration.
 */
export async function changeLatency(
  lab: LabProcess,
  pages: Page[],
  changes: number,
  budgetMs: number,
): Promise<LatencyRun> {
  const deadline = Date.now() + budgetMs;
  const api: number[] = [];
  // Per page, the clock offset measured with the shortest round trip so far (a starved page answers late, and the
  // midpoint of a long round trip says little about when the page read its clock).
  const clock = pages.map(() => ({ rtt: Number.POSITIVE_INFINITY, offset: 0 }));
  const seenAt: Array<{ want: Want; page: number; at: number; t0: number }> = [];
  let missed = 0;
  let done = 0;
  for (; done < changes && Date.now() < deadline; done++) {
    const want: Want = done % 2 === 0 ? 'paused' : 'resumed';
    await Promise.all(
      pages.map(async (page, i) => {
        const t1 = epochNow();
        const r = await page.evaluate(arm, { want, timeoutMs: SHOW_TIMEOUT_MS });
        const t2 = epochNow();
        if (r.already) throw new Error(`a page already shows "${want}" before the change`);
        const c = clock[i];
        if (c && t2 - t1 < c.rtt) Object.assign(c, { rtt: t2 - t1, offset: r.now - (t1 + t2) / 2 });
      }),
    );
    const t0 = epochNow();
    await patch(lab, PATHS.rollout, { spec: { paused: want === 'paused' } });
    api.push(epochNow() - t0);
    const seen = await Promise.all(
      pages.map((p) =>
        p.evaluate(() => (window as unknown as { __benchSeen?: Promise<number | null> }).__benchSeen ?? null),
      ),
    );
    seen.forEach((at, page) => {
      if (at === null) missed++;
      else seenAt.push({ want, page, at, t0 });
    });
    await settled(lab, want === 'paused');
    if ((done + 1) % 10 === 0) log(`${pages.length} page(s): ${done + 1} of ${changes} changes`);
  }
  const samples: Record<Want, number[]> = { paused: [], resumed: [] };
  for (const x of seenAt) samples[x.want].push(x.at - (clock[x.page]?.offset ?? 0) - x.t0);
  const all = [...samples.paused, ...samples.resumed];
  const s = summary(all);
  const kind = (xs: number[]) => ({ p50Ms: summary(xs).p50Ms, p95Ms: summary(xs).p95Ms });
  const run: LatencyRun = {
    pages: pages.length,
    changes: done,
    samples: all.length,
    missed,
    ...s,
    apiMedianMs: summary(api).p50Ms,
    clockUncertaintyMs: Math.max(...clock.map((c) => c.rtt / 2)),
    byKind: { paused: kind(samples.paused), resumed: kind(samples.resumed) },
  };
  log(
    `${pages.length} page(s): ${done} changes, p50 ${s.p50Ms.toFixed(0)} ms, p95 ${s.p95Ms.toFixed(0)} ms, missed ${missed}`,
  );
  return run;
}
