import type { Browser } from '@playwright/test';
import type { Session } from './browser';
import { log } from './stack';
import { summary } from './stats';

interface Marks {
  __benchRowsAt?: number;
  __benchLiveAt?: number;
}

/**
 * In the page, before its first byte: notes `performance.now()` (ms since navigation start) when the "All rollouts"
 * table first holds `expected` rows and when the live indicator first says live.
 */
function probeOverview(expected: number): void {
  const w = window as unknown as Marks;
  new MutationObserver((_, obs) => {
    if (w.__benchRowsAt === undefined) {
      const body = document.querySelector('section[aria-labelledby="all-heading"] tbody');
      if (body && body.children.length >= expected) w.__benchRowsAt = performance.now();
    }
    if (
      w.__benchLiveAt === undefined &&
      document.querySelector('[data-testid="live-indicator"][data-state="live"]')
    )
      w.__benchLiveAt = performance.now();
    if (w.__benchRowsAt !== undefined && w.__benchLiveAt !== undefined) obs.disconnect();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}

export interface OverviewLoad {
  rows: number;
  loads: number;
  /** Navigation start to the table listing every row (ms): median, max and each load. */
  medianMs: number;
  maxMs: number;
  samplesMs: number[];
  /** Navigation start to the first byte of the HTML (ms), median. */
  firstByteMedianMs: number;
  /** Navigation start to the live stream synced (ms), median. */
  liveMedianMs: number;
  /** Size of the overview's HTML document (bytes, as transferred). */
  htmlBytes: number;
}

/** Loads `/` `loads` times (after one warm-up), each in a fresh context (cold browser cache). */
export async function overviewLoad(
  browser: Browser,
  session: Session,
  expected: number,
  loads: number,
): Promise<OverviewLoad> {
  const rows: number[] = [];
  const live: number[] = [];
  const ttfb: number[] = [];
  let htmlBytes = 0;
  for (let i = 0; i <= loads; i++) {
    const ctx = await session.context(browser);
    try {
      const page = await ctx.newPage();
      await page.addInitScript(probeOverview, expected);
      const res = await page.goto('/', { waitUntil: 'commit', timeout: 60_000 });
      await page.waitForFunction(
        () => {
          const w = window as unknown as Marks;
          return w.__benchRowsAt !== undefined && w.__benchLiveAt !== undefined;
        },
        null,
        { timeout: 60_000, polling: 100 },
      );
      const m = await page.evaluate(() => {
        const w = window as unknown as Marks;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return {
          rows: w.__benchRowsAt ?? Number.NaN,
          live: w.__benchLiveAt ?? Number.NaN,
          ttfb: nav?.responseStart ?? Number.NaN,
        };
      });
      htmlBytes = (await res?.body())?.length ?? 0;
      if (i === 0) continue; // warm-up
      rows.push(m.rows);
      live.push(m.live);
      ttfb.push(m.ttfb);
      log(
        `overview load ${i}/${loads}: first byte ${m.ttfb.toFixed(0)} ms, rows ${m.rows.toFixed(0)} ms, live ${m.live.toFixed(0)} ms`,
      );
    } finally {
      await ctx.close();
    }
  }
  return {
    rows: expected,
    loads: rows.length,
    medianMs: summary(rows).p50Ms,
    maxMs: summary(rows).maxMs,
    samplesMs: rows,
    firstByteMedianMs: summary(ttfb).p50Ms,
    liveMedianMs: summary(live).p50Ms,
    htmlBytes,
  };
}
