import type { Browser } from '@playwright/test';
import type { Session } from './browser';
import { log } from './stack';
import { summary } from './stats';

interface Marks {
  __benchRowsAt?: number;
  __benchLiveAt?: number;
}

const ALL_ROWS = 'section[aria-labelledby="all-heading"] tbody tr[data-testid^="row-"]';

/**
 * In the page, before its first byte: notes `performance.now()` (ms since navigation start) when the "All rollouts"
 * table first shows rows while its heading counts `expected` (every rollout listed, reachable by scrolling) and when
 * the live indicator first says live.
 */
function probeOverview(args: { expected: number; rows: string }): void {
  const w = window as unknown as Marks;
  new MutationObserver((_, obs) => {
    if (w.__benchRowsAt === undefined && document.querySelector(args.rows)) {
      const heading = document.getElementById('all-heading')?.textContent ?? '';
      if (heading.includes(`(${args.expected})`)) w.__benchRowsAt = performance.now();
    }
    if (
      w.__benchLiveAt === undefined &&
      document.querySelector('[data-testid="live-indicator"][data-state="live"]')
    )
      w.__benchLiveAt = performance.now();
    if (w.__benchRowsAt !== undefined && w.__benchLiveAt !== undefined) obs.disconnect();
  }).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['data-state'],
  });
}

export interface OverviewLoad {
  rows: number;
  loads: number;
  /** Navigation start to the first rows of the table, its heading counting every rollout (ms): median, max, each. */
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
      await page.addInitScript(probeOverview, { expected, rows: ALL_ROWS });
      const res = await page.goto('/', { waitUntil: 'commit', timeout: 120_000 });
      await page.waitForFunction(
        () => {
          const w = window as unknown as Marks;
          return w.__benchRowsAt !== undefined && w.__benchLiveAt !== undefined;
        },
        null,
        { timeout: 120_000, polling: 100 },
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

export interface OverviewReach {
  rows: number;
  /** Distinct rows seen while scrolling the "All rollouts" table from top to bottom, and how long it took (ms). */
  seenByScrolling: number;
  scrollMs: number;
  /** A search for `searched` shows its row (ms from typing to the row in the table), null when it did not. */
  searched: string;
  searchMs: number | null;
  pass: boolean;
}

/**
 * Every row is reachable: on a live overview, scrolls the "All rollouts" table (and the window) a viewport at a time
 * and collects the row keys the DOM shows, then searches for one rollout and waits for its row.
 */
export async function overviewReach(
  browser: Browser,
  session: Session,
  expected: number,
  search: { text: string; rowKey: string },
): Promise<OverviewReach> {
  const ctx = await session.context(browser);
  try {
    const page = await ctx.newPage();
    await page.goto('/', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="live-indicator"][data-state="live"]', {
      state: 'attached',
      timeout: 120_000,
    });
    const t0 = performance.now();
    const seen = await page.evaluate(
      async (args: { rows: string; budgetMs: number }) => {
        const keys = new Set<string>();
        const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
        const section = document.querySelector('section[aria-labelledby="all-heading"]');
        const table = section?.querySelector('table');
        let box: HTMLElement | null = table?.parentElement ?? null;
        const scrolls = (e: HTMLElement) =>
          e.scrollHeight > e.clientHeight && /auto|scroll/.test(getComputedStyle(e).overflowY);
        while (box && !scrolls(box)) box = box.parentElement;
        const scroller = box ?? document.scrollingElement ?? document.documentElement;
        const deadline = performance.now() + args.budgetMs;
        scroller.scrollTop = 0;
        if (scroller !== document.scrollingElement) section?.scrollIntoView();
        for (;;) {
          await frame();
          await frame();
          for (const tr of document.querySelectorAll(args.rows))
            keys.add(tr.getAttribute('data-testid') ?? '');
          const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
          if (atEnd || performance.now() > deadline) break;
          const before = scroller.scrollTop;
          scroller.scrollTop += Math.max(100, scroller.clientHeight - 50);
          if (scroller.scrollTop === before) break;
        }
        return keys.size;
      },
      { rows: ALL_ROWS, budgetMs: 120_000 },
    );
    const scrollMs = performance.now() - t0;
    const box = page.getByRole('searchbox', { name: 'Search rollouts' });
    const t1 = performance.now();
    await box.fill(search.text);
    const found = await page
      .getByTestId(`row-${search.rowKey}`)
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 })
      .then(() => performance.now() - t1)
      .catch(() => null);
    log(
      `overview of ${expected}: ${seen} rows seen by scrolling in ${scrollMs.toFixed(0)} ms; search "${search.text}" ${found === null ? 'did not find it' : `found it in ${found.toFixed(0)} ms`}`,
    );
    return {
      rows: expected,
      seenByScrolling: seen,
      scrollMs,
      searched: search.text,
      searchMs: found,
      pass: seen === expected && found !== null,
    };
  } finally {
    await ctx.close();
  }
}
