import type { LabProcess } from '@control-center/lab/testing';
import type { Browser } from '@playwright/test';
import { openLivePage, type Session } from './browser';
import { changeLatency, type LatencyRun, ROLLOUT_PAGE } from './latency';
import { type MainThreadRun, mainThreadPerChange } from './main-thread';
import { startPageTraffic } from './page-traffic';
import { renderFloor } from './render-floor';
import { log } from './stack';

/** Users' requests per second through the gateway while the rollout page is measured (its charts draw them). */
const PAGE_RPS = 20;

const ROLLOUT_SHOWN = {
  selector: '[data-testid="rollout-phase"]',
  text: { paused: 'Paused', resumed: 'Healthy' },
  // The change's own timeline line (the phase it reached, from the stream): the window lasts until it shows. Any read
  // of the stored timeline the change makes the page do falls in the window too, and is counted.
  line: {
    selector: '[data-testid="timeline"] li[data-kind="phase"]',
    text: { paused: 'Paused', resumed: 'Healthy' },
  },
  reads: '/timeline?',
  // Its charts, traffic and timeline are read every 10 s, all at once, whatever happens: windows are placed clear of
  // those rounds, and a round's own cost is measured beside.
  polls: { urlPart: '/traffic?', everyMs: 10_000 },
};

/** The DOM operations timed alone (render-floor.ts) after the per-change windows. */
const ROLLOUT_FLOOR = ['text', 'badge', 'line', 'rolloutPause'];

/**
 * Part 2 of bench:ui: one open rollout page under users' traffic that has run `trafficMinutes` first (its charts fill
 * their range): change → DOM latency, then main-thread time per change and what the browser alone costs.
 */
export async function rolloutPagePart(
  lab: LabProcess,
  url: string,
  browser: Browser,
  session: Session,
  opts: { changes: number; trafficMinutes: number },
): Promise<{ one: LatencyRun; rolloutMain: MainThreadRun }> {
  log(
    `one rollout page under ${PAGE_RPS} rps of users' traffic: change -> page and main-thread time per change`,
  );
  const traffic = await startPageTraffic(lab, url, session.cookie, {
    rps: PAGE_RPS,
    maxMs: 40 * 60_000,
    minPoints: 4,
    warmMs: opts.trafficMinutes * 60_000,
  });
  try {
    const rolloutPage = await openLivePage(browser, session, ROLLOUT_PAGE);
    let one: LatencyRun;
    let rolloutMain: MainThreadRun;
    try {
      one = await changeLatency(lab, [rolloutPage], opts.changes, 6 * 60_000);
      rolloutMain = await mainThreadPerChange(lab, rolloutPage, ROLLOUT_SHOWN, opts.changes);
      rolloutMain.renderFloor = await renderFloor(rolloutPage, ROLLOUT_FLOOR);
    } finally {
      await rolloutPage.context().close();
    }
    await traffic.readEnd();
    const { pointsAtStart: from, pointsAtEnd: to, pointsFullRange: full } = traffic.shown;
    rolloutMain.traffic = traffic.shown;
    log(`the page's charts drew ${from} → ${to} points per version (a page open 15 min: ${full})`);
    return { one, rolloutMain };
  } finally {
    await traffic.stop();
  }
}
